package dev.easel.audit.application;

import dev.easel.audit.application.port.ChainStore;
import dev.easel.audit.domain.AuditEvent;
import dev.easel.audit.domain.AuditRecord;
import dev.easel.audit.domain.HashChain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends events to the chain, each once: an event id seen before (a redelivery, a replay) adds
 * nothing. A batch is chained in one transaction, holding the writer lock.
 */
@Service
public class Chaining {

  private final ChainStore store;

  public Chaining(ChainStore store) {
    this.store = store;
  }

  /**
   * @return the records added
   */
  @Transactional
  public List<AuditRecord> append(List<AuditEvent> events) {
    Map<String, AuditEvent> fresh = new LinkedHashMap<>();
    for (AuditEvent e : events) {
      fresh.putIfAbsent(e.eventId(), e);
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    store.lockWriter();
    Set<String> seen = store.chained(fresh.keySet());
    seen.forEach(fresh::remove);
    if (fresh.isEmpty()) {
      return List.of();
    }
    ChainStore.Head head = store.head().orElse(new ChainStore.Head(0, HashChain.GENESIS));
    List<AuditRecord> records =
        HashChain.append(head.seq(), head.hash(), new ArrayList<>(fresh.values()));
    store.insert(records);
    return records;
  }
}
