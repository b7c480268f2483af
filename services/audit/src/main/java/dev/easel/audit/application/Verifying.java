package dev.easel.audit.application;

import dev.easel.audit.application.port.ChainStore;
import dev.easel.audit.domain.AuditRecord;
import dev.easel.audit.domain.HashChain;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes the chain from its records: each record's data against its dataHash, its hash against
 * its contents and the hash before it, and the seqs without a gap.
 */
@Service
public class Verifying {

  private static final int PAGE = 5_000;

  private final ChainStore store;

  public Verifying(ChainStore store) {
    this.store = store;
  }

  /**
   * @param from the first seq to check, 1 or more
   * @param to the last, or null for the head
   */
  @Transactional(readOnly = true)
  public HashChain.Verdict verify(long from, Long to) {
    long first = Math.max(1, from);
    Optional<ChainStore.Head> head = store.head();
    long last = to == null ? head.map(ChainStore.Head::seq).orElse(0L) : to;
    if (head.isEmpty() || last < first) {
      return HashChain.Verdict.ok(0);
    }
    String prev;
    if (first == 1) {
      prev = HashChain.GENESIS;
    } else {
      Optional<AuditRecord> before = store.find(first - 1);
      if (before.isEmpty()) {
        return HashChain.Verdict.broken(0, first - 1, "record " + (first - 1) + " is missing");
      }
      prev = before.get().hash();
    }
    long[] expected = {first};
    String[] previous = {prev};
    long[] checked = {0};
    HashChain.Verdict[] broken = {null};
    store.scan(
        first,
        last,
        PAGE,
        (List<AuditRecord> page) -> {
          for (AuditRecord r : page) {
            if (broken[0] != null) {
              return;
            }
            Optional<HashChain.Verdict> bad =
                HashChain.check(r, expected[0], previous[0], checked[0]);
            if (bad.isPresent()) {
              broken[0] = bad.get();
              return;
            }
            checked[0]++;
            expected[0]++;
            previous[0] = r.hash();
          }
        });
    if (broken[0] != null) {
      return broken[0];
    }
    if (expected[0] <= last) {
      return HashChain.Verdict.broken(
          checked[0], expected[0], "record " + expected[0] + " is missing");
    }
    return HashChain.Verdict.ok(checked[0]);
  }
}
