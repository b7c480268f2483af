package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.scan.ScanPlans;
import java.io.InputStream;
import java.util.List;

/** Reads the tools' real report formats into findings and components. */
public interface ReportReaders {

  /**
   * Where a file's findings were found.
   *
   * @param scope the kube-hunter mode, or null
   * @param sbomFormat the SBOM format asked for, for SBOM files
   */
  record Context(String node, String role, String scope, String sbomFormat) {}

  /** Conformance progress, from {@code sonobuoy status --json}. */
  record Progress(
      String status, long completed, long total, List<String> failedTests, boolean finished) {}

  /**
   * Reads one file.
   *
   * @throws ReportRejected when it is malformed, too large or hostile
   */
  void read(ScanPlans.Reader reader, InputStream in, Context context, ReportSink sink)
      throws ReportRejected;

  /**
   * Reads Sonobuoy's status.
   *
   * @throws ReportRejected when it is not Sonobuoy's status JSON
   */
  Progress status(String json) throws ReportRejected;
}
