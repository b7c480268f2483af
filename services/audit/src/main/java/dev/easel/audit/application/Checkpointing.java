package dev.easel.audit.application;

import dev.easel.audit.application.port.ChainStore;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.audit.AuditCheckpointed;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes the chain's head as {@code AuditCheckpointed} when it differs from the last checkpoint,
 * so that a copy kept elsewhere can prove the chain was not rewritten. A head that went back is
 * published too: hiding it would hide the very change a checkpoint is for.
 */
@Service
public class Checkpointing {

  private static final Logger log = LoggerFactory.getLogger(Checkpointing.class);

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
    if (last.isPresent() && last.get().equals(head.get())) {
      return Optional.empty();
    }
    if (last.isPresent() && last.get().seq() >= head.get().seq()) {
      // The head went back, or changed in place: records were cut off or rewritten after the
      // last checkpoint. Verify finds where; the new checkpoint makes the change visible outside.
      log.warn(
          "the audit chain's head {} is not after the last checkpoint {}; publishing it anyway",
          head.get(),
          last.get());
    }
    Instant now = clock.instant();
    store.checkpointed(head.get(), now);
    outbox.publishEvent(
        "audit-chain", new AuditCheckpointed(head.get().seq(), head.get().hash(), now));
    return head;
  }
}
