package dev.easel.audit.application;

import dev.easel.audit.application.port.ChainStore;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.audit.AuditCheckpointed;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes the chain's head as {@code AuditCheckpointed} when it has moved since the last
 * checkpoint, so that a copy kept elsewhere can prove the chain was not rewritten.
 */
@Service
public class Checkpointing {

  private final ChainStore store;
  private final Outbox outbox;
  private final Clock clock;

  public Checkpointing(ChainStore store, Outbox outbox, Clock clock) {
    this.store = store;
    this.outbox = outbox;
    this.clock = clock;
  }

  /**
   * @return the head published, or empty when it has not moved
   */
  @Transactional
  public Optional<ChainStore.Head> checkpoint() {
    store.lockWriter();
    Optional<ChainStore.Head> head = store.head();
    if (head.isEmpty()) {
      return Optional.empty();
    }
    Optional<ChainStore.Head> last = store.lastCheckpoint();
    if (last.isPresent() && last.get().seq() >= head.get().seq()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    store.checkpointed(head.get(), now);
    outbox.publishEvent(
        "audit-chain", new AuditCheckpointed(head.get().seq(), head.get().hash(), now));
    return head;
  }
}
