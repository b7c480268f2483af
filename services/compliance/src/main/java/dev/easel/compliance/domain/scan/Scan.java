package dev.easel.compliance.domain.scan;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A scan: one run of one tool over one cluster. Its state only moves forward: {@code Initiated →
 * InProgress → Completed | Failed}, and {@code Cancelled} from either of the first two.
 *
 * @param trigger {@code on-demand} or {@code scheduled}
 * @param phase for conformance, where the run is: {@code running}, {@code retrieving}; otherwise
 *     {@code running}
 * @param completed what is done (nodes, or conformance tests)
 * @param total what there is (nodes, or conformance tests)
 * @param failed what failed so far
 * @param reason why it failed, or who cancelled it
 * @param summary the report's counts, once completed
 */
public record Scan(
    UUID id,
    UUID clusterId,
    ScanKind kind,
    String trigger,
    Map<String, String> options,
    ScanState state,
    String phase,
    long completed,
    long total,
    long failed,
    String reason,
    Map<String, Long> summary,
    String actor,
    Instant createdAt,
    Instant finishedAt) {

  public static final String RUNNING = "running";
  public static final String RETRIEVING = "retrieving";

  public Scan {
    options = options == null ? Map.of() : Map.copyOf(options);
    summary = summary == null ? Map.of() : Map.copyOf(summary);
  }

  public static Scan initiated(
      UUID id,
      UUID clusterId,
      ScanKind kind,
      String trigger,
      Map<String, String> options,
      long parts,
      String actor,
      Instant at) {
    return new Scan(
        id,
        clusterId,
        kind,
        trigger,
        options,
        ScanState.Initiated,
        RUNNING,
        0,
        parts,
        0,
        null,
        Map.of(),
        actor,
        at,
        null);
  }

  /** A scan's state refuses a change. */
  public static final class StateException extends RuntimeException {
    public StateException(String message) {
      super(message);
    }
  }

  /** The first plan of the scan started on a node. */
  public Scan started() {
    requireRunning("start");
    return state == ScanState.InProgress ? this : with(ScanState.InProgress, phase, reason, null);
  }

  /** Progress: what is done of what there is, and what failed so far. */
  public Scan progressed(long completed, long total, long failed) {
    requireRunning("progress");
    return new Scan(
        id,
        clusterId,
        kind,
        trigger,
        options,
        ScanState.InProgress,
        phase,
        completed,
        total,
        failed,
        reason,
        summary,
        actor,
        createdAt,
        finishedAt);
  }

  public Scan inPhase(String next) {
    requireRunning("move to " + next);
    return with(ScanState.InProgress, next, reason, null);
  }

  public Scan completed(Map<String, Long> counts, Instant at) {
    requireRunning("complete");
    return new Scan(
        id,
        clusterId,
        kind,
        trigger,
        options,
        ScanState.Completed,
        phase,
        Math.max(completed, total),
        total,
        failed,
        null,
        counts,
        actor,
        createdAt,
        at);
  }

  public Scan failedBecause(String why, Instant at) {
    requireRunning("fail");
    return with(ScanState.Failed, phase, why, at);
  }

  /**
   * Cancelled by an operator.
   *
   * @throws StateException when it has already finished
   */
  public Scan cancelled(String by, Instant at) {
    if (state.finished()) {
      throw new StateException(
          "scan " + id + " is " + state + "; only a running scan is cancelled");
    }
    return with(ScanState.Cancelled, phase, "cancelled by " + by, at);
  }

  private void requireRunning(String what) {
    if (state.finished()) {
      throw new StateException("scan " + id + " is " + state + "; cannot " + what);
    }
  }

  private Scan with(ScanState s, String p, String r, Instant at) {
    return new Scan(
        id, clusterId, kind, trigger, options, s, p, completed, total, failed, r, summary, actor,
        createdAt, at);
  }
}
