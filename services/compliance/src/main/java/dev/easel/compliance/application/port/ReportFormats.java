package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.report.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;

/** The downloadable forms of a report: CSV for tools, PDF for people. */
public interface ReportFormats {

  /** What a PDF's first page says. */
  record Header(
      String clusterName,
      String scanId,
      String kind,
      String state,
      Instant startedAt,
      Instant finishedAt) {}

  /** Writes every finding, as the iterable yields them, to {@code out}. */
  void csv(Iterable<Finding> findings, OutputStream out) throws IOException;

  /** A PDF: the header, the counts, and the findings table. */
  void pdf(Header header, Map<String, Long> summary, Iterable<Finding> findings, OutputStream out)
      throws IOException;
}
