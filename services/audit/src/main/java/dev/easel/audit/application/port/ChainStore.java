package dev.easel.audit.application.port;

import dev.easel.audit.domain.AuditRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Where the chain is kept. */
public interface ChainStore {

  /** The last record's place and hash. */
  record Head(long seq, String hash) {}

  /** What to look for; null fields match anything. */
  record Filter(String actor, String type, String subject, Instant from, Instant to) {}

  /**
   * Makes the caller's transaction the only chain writer until it ends, on every instance, so the
   * chain never forks.
   */
  void lockWriter();

  Optional<Head> head();

  /** The ids among these that are chained already. */
  Set<String> chained(Collection<String> eventIds);

  void insert(List<AuditRecord> records);

  Optional<AuditRecord> find(long seq);

  /** Records from {@code fromSeq} to {@code toSeq} in order, a page at a time. */
  void scan(long fromSeq, long toSeq, int page, Consumer<List<AuditRecord>> each);

  /** Records matching the filter after {@code afterSeq}, oldest first. */
  List<AuditRecord> search(Filter filter, long afterSeq, int limit);

  Optional<Head> lastCheckpoint();

  void checkpointed(Head head, Instant at);
}
