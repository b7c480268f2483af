package dev.easel.compliance.adapters.out.export;

import dev.easel.compliance.domain.report.Finding;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a downloadable scan report shows: which scan it was, a summary of counts, and the findings.
 *
 * @param kind the scan's kind, as shown: {@code kube-bench}, {@code Conformance Testing}, ...
 * @param finishedAt null while the scan runs
 * @param state the scan's state: {@code Completed}, {@code Failed}, ...
 * @param summary counts to show above the findings, in the map's order ({@code PASS -> 42})
 * @param findings read once, as the report is written; it may be a stream from storage
 */
public record ReportDocument(
    String clusterName,
    String scanId,
    String kind,
    Instant startedAt,
    Instant finishedAt,
    String state,
    Map<String, Long> summary,
    Iterable<Finding> findings) {

  public ReportDocument {
    summary =
        summary == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(summary));
    findings = findings == null ? List.of() : findings;
  }
}
