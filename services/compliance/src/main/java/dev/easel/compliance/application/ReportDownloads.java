package dev.easel.compliance.application;

import dev.easel.compliance.application.port.ReportFormats;
import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.scan.Scan;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * A report as a file, read from the store a page at a time as it is written: CSV with every finding
 * the filter matches; PDF with the header, the counts and the first {@value #PDF_ROWS} findings (a
 * PDF of 50,000 vulnerabilities helps nobody; the CSV has them all, and the PDF says how many it
 * leaves out).
 */
@Component
public class ReportDownloads {

  public static final int PDF_ROWS = 5000;
  static final int PAGE = 1000;

  private final Reports reports;
  private final ReportStore store;
  private final ReportFormats formats;

  public ReportDownloads(Reports reports, ReportStore store, ReportFormats formats) {
    this.reports = reports;
    this.store = store;
    this.formats = formats;
  }

  public void csv(UUID id, ReportStore.Filter filter, OutputStream out) throws IOException {
    reports.scan(id);
    formats.csv(pages(id, filter, Long.MAX_VALUE), out);
  }

  public void pdf(UUID id, ReportStore.Filter filter, OutputStream out) throws IOException {
    Scan s = reports.scan(id);
    Reports.Report r = reports.report(id, new ReportStore.Filter(null, null, null, null, 0, 1));
    Map<String, Long> summary = new LinkedHashMap<>(r.summary());
    long[] matching = {0};
    store.eachFinding(id, filter, f -> matching[0]++);
    if (matching[0] > PDF_ROWS) {
      summary.put("findings left out (in the CSV)", matching[0] - PDF_ROWS);
    }
    formats.pdf(
        new ReportFormats.Header(
            r.clusterName(),
            s.id().toString(),
            s.kind().wireName(),
            s.state().name(),
            s.createdAt(),
            s.finishedAt()),
        summary,
        pages(id, filter, PDF_ROWS),
        out);
  }

  /** The findings, fetched a page at a time as they are iterated, at most {@code max}. */
  private Iterable<Finding> pages(UUID id, ReportStore.Filter filter, long max) {
    return () ->
        new Iterator<>() {
          private List<ReportStore.Row> page = List.of();
          private int at;
          private long after = filter.after();
          private long given;
          private boolean last;

          @Override
          public boolean hasNext() {
            if (given >= max) {
              return false;
            }
            if (at < page.size()) {
              return true;
            }
            if (last) {
              return false;
            }
            page =
                store.findings(
                    id,
                    new ReportStore.Filter(
                        filter.node(),
                        filter.role(),
                        filter.status(),
                        filter.severity(),
                        after,
                        PAGE));
            at = 0;
            last = page.size() < PAGE;
            if (!page.isEmpty()) {
              after = page.get(page.size() - 1).seq();
            }
            return !page.isEmpty();
          }

          @Override
          public Finding next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            given++;
            return page.get(at++).finding();
          }
        };
  }
}
