package dev.easel.clusters.application.port;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What happened to each cluster, in order. */
public interface Timeline {

  /**
   * One entry.
   *
   * @param seq its place among every cluster's entries; a stream resumes after it
   * @param operation {@code formation} or {@code deletion}
   * @param step the saga step, or null for the cluster as a whole
   * @param state {@code STARTED}, {@code SUCCEEDED}, {@code FAILED}, {@code UNDOING}, {@code
   *     UNDONE}, or the cluster's new state
   * @param percent the operation's progress, weighted by step
   */
  record Entry(
      long seq,
      UUID clusterId,
      Instant at,
      String operation,
      String step,
      List<UUID> nodes,
      String state,
      String message,
      int percent) {

    public Entry {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
  }

  /** Appends an entry; its {@code seq} is given by the store. */
  void append(Entry entry);

  /** A cluster's entries after {@code afterSeq}, oldest first. */
  List<Entry> after(UUID clusterId, long afterSeq, int limit);

  /** The latest entry's percent, or 0. */
  int latestPercent(UUID clusterId);

  /** The latest entry's percent for an operation, or 0. */
  int lastPercent(UUID clusterId, String operation);
}
