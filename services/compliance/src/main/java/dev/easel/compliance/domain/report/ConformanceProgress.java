package dev.easel.compliance.domain.report;

import java.util.List;

/**
 * How far a conformance run has got, as {@code sonobuoy status --json} tells it, summed over the
 * run's plugins and nodes.
 *
 * @param status the run's state: {@code running}, {@code post-processing}, {@code complete} or
 *     {@code failed}
 * @param completed tests run so far, from the plugins' progress reports
 * @param total tests the plugins expect to run; 0 until a plugin reports progress
 * @param failedTests the names of the tests that failed so far
 * @param passed tests that passed, counted once a plugin has finished
 * @param failed tests that failed or timed out, counted once a plugin has finished
 * @param skipped tests that were skipped, counted once a plugin has finished
 */
public record ConformanceProgress(
    String status,
    long completed,
    long total,
    List<String> failedTests,
    long passed,
    long failed,
    long skipped) {

  public ConformanceProgress {
    failedTests = failedTests == null ? List.of() : List.copyOf(failedTests);
  }

  /** Tests still to run, as Sonobuoy's status table shows them. */
  public long remaining() {
    return Math.max(0, total - completed);
  }

  /** Whether the run has ended, well or not: its results can be retrieved or it is lost. */
  public boolean finished() {
    return "complete".equals(status) || "failed".equals(status);
  }
}
