package dev.easel.compliance.adapters.out.export;

import dev.easel.compliance.application.port.ReportFormats;
import dev.easel.compliance.domain.report.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.springframework.stereotype.Component;

/** CSV with Apache Commons CSV, PDF with PDFBox. */
@Component
public class ReportExports implements ReportFormats {

  private final CsvReport csv = new CsvReport();
  private final PdfReport pdf = new PdfReport();

  @Override
  public void csv(Iterable<Finding> findings, OutputStream out) throws IOException {
    csv.write(findings, out);
  }

  @Override
  public void pdf(Header h, Map<String, Long> summary, Iterable<Finding> findings, OutputStream out)
      throws IOException {
    pdf.write(
        new ReportDocument(
            h.clusterName(),
            h.scanId(),
            h.kind(),
            h.startedAt(),
            h.finishedAt(),
            h.state(),
            summary,
            findings),
        out);
  }
}
