package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/** Each scan's findings and SBOM components, written in batches and read by filter. */
public interface ReportStore {

  /**
   * A sink that writes to the scan's report in batches, tagged with the file they came from so that
   * a file read again replaces its own rows.
   */
  interface Writer extends ReportSink, AutoCloseable {
    @Override
    void close();
  }

  /** Removes what an earlier read of this file wrote, and opens a writer for it. */
  Writer writer(UUID scanId, String artifact);

  /**
   * Which findings to list.
   *
   * @param after the last {@code seq} of the previous page, or 0
   */
  record Filter(
      String node, String role, Status status, Severity severity, long after, int limit) {}

  /** A finding and its place in the report. */
  record Row(long seq, Finding finding) {}

  List<Row> findings(UUID scanId, Filter filter);

  /** Every finding matching the filter, in order, without paging: for downloads. */
  void eachFinding(UUID scanId, Filter filter, Consumer<Finding> each);

  /**
   * The counts: by status ({@code pass}, {@code fail}, {@code warn}, {@code info}, {@code
   * skipped}), by severity of failures ({@code critical}, {@code high}, ...), and {@code
   * components}.
   */
  Map<String, Long> summary(UUID scanId);

  /**
   * Findings of {@code scanId} not in {@code baseline} (compared by node, scope, rule and package).
   */
  List<Finding> newSince(UUID scanId, UUID baseline, int limit);

  /** Counts of findings of {@code scanId} that are not in {@code baseline}. */
  long countNewSince(UUID scanId, UUID baseline);
}
