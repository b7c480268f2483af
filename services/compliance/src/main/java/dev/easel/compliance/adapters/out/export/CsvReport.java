package dev.easel.compliance.adapters.out.export;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes findings as CSV (RFC 4180, UTF-8, CRLF line ends), one row per finding under a header row:
 * {@value #HEADER_TEXT}.
 *
 * <p>Fields with commas, quotes or line breaks are quoted. A field that starts with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return is prefixed with an apostrophe, so a
 * spreadsheet opening the file shows it as text instead of running it as a formula: the text comes
 * from scan reports, and a report can be written by whoever controls a node.
 */
public final class CsvReport {

  static final List<String> HEADER =
      List.of(
          "node",
          "role",
          "scope",
          "rule",
          "title",
          "status",
          "severity",
          "package",
          "version",
          "fixed in",
          "detail",
          "remediation");

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get();

  /** Writes the findings to {@code out}, which is flushed but not closed. */
  public void write(Iterable<Finding> findings, OutputStream out) throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    CSVPrinter csv = new CSVPrinter(writer, FORMAT);
    for (Finding f : findings) {
      AffectedPackage pkg = f.affected();
      csv.printRecord(
          cell(f.node()),
          cell(f.role()),
          cell(f.scope()),
          cell(f.ruleId()),
          cell(f.title()),
          f.status() == null ? "" : f.status().name(),
          f.severity() == Severity.NONE ? "" : f.severity().name(),
          pkg == null ? "" : cell(pkg.name()),
          pkg == null ? "" : cell(pkg.version()),
          pkg == null ? "" : cell(String.join(", ", pkg.fixedIn())),
          cell(f.detail()),
          cell(f.remediation()));
    }
    csv.flush();
  }

  /** The text for a cell: empty for null, and never read as a formula by a spreadsheet. */
  static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    return switch (text.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r' -> "'" + text;
      default -> text;
    };
  }
}
