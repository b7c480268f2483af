package dev.easel.compliance.adapters.out.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class CsvReportTest {

  private static final Finding CHECK =
      new Finding(
          "cp-1",
          "control-plane",
          "1.2",
          "1.2.16",
          "Ensure that the admission control plugin PodSecurityPolicy is set, \"where used\"",
          Status.FAIL,
          Severity.NONE,
          "'--enable-admission-plugins' has 'PodSecurityPolicy'\nactual: NodeRestriction,\r\nLimitRanger",
          "Edit the API server pod specification file, and set:\n--enable-admission-plugins=...",
          null,
          null);

  private static final Finding VULNERABILITY =
      new Finding(
          null,
          null,
          "registry.local/app:1.4",
          "CVE-2024-0001",
          "A flaw in café é漢",
          Status.FAIL,
          Severity.CRITICAL,
          "Description, with a comma",
          null,
          "https://nvd.nist.gov/vuln/detail/CVE-2024-0001",
          new AffectedPackage(
              "openssl",
              "3.0.2",
              "deb",
              "pkg:deb/ubuntu/openssl@3.0.2",
              "fixed",
              List.of("3.0.2-0ubuntu1.10", "3.0.13"),
              List.of("/var/lib/dpkg/status")));

  @Test
  void findingsRoundTripWithQuotesCommasAndLineBreaks() throws Exception {
    List<CSVRecord> rows = readBack(write(List.of(CHECK, VULNERABILITY)));

    assertThat(rows).hasSize(2);
    CSVRecord check = rows.get(0);
    assertThat(check.get("node")).isEqualTo("cp-1");
    assertThat(check.get("role")).isEqualTo("control-plane");
    assertThat(check.get("scope")).isEqualTo("1.2");
    assertThat(check.get("rule")).isEqualTo("1.2.16");
    assertThat(check.get("title")).isEqualTo(CHECK.title());
    assertThat(check.get("status")).isEqualTo("FAIL");
    assertThat(check.get("severity")).isEmpty();
    assertThat(check.get("package")).isEmpty();
    assertThat(check.get("detail")).isEqualTo(CHECK.detail());
    assertThat(check.get("remediation")).isEqualTo(CHECK.remediation());

    CSVRecord vulnerability = rows.get(1);
    assertThat(vulnerability.get("node")).isEmpty();
    assertThat(vulnerability.get("title")).isEqualTo("A flaw in café é漢");
    assertThat(vulnerability.get("severity")).isEqualTo("CRITICAL");
    assertThat(vulnerability.get("package")).isEqualTo("openssl");
    assertThat(vulnerability.get("version")).isEqualTo("3.0.2");
    assertThat(vulnerability.get("fixed in")).isEqualTo("3.0.2-0ubuntu1.10, 3.0.13");
    assertThat(vulnerability.get("detail")).isEqualTo("Description, with a comma");
  }

  @Test
  void theHeaderNamesTheColumns() throws Exception {
    String csv = write(List.of());

    assertThat(csv)
        .isEqualTo(
            "node,role,scope,rule,title,status,severity,package,version,fixed in,detail,"
                + "remediation\r\n");
  }

  @Test
  void aCellASpreadsheetWouldRunAsAFormulaIsWrittenAsText() throws Exception {
    Finding hostile =
        new Finding(
            "=cmd|' /C calc'!A0",
            null,
            "@SUM(1+1)",
            "+1",
            "-2",
            Status.FAIL,
            Severity.HIGH,
            "=HYPERLINK(\"http://evil\")",
            null,
            null,
            null);

    CSVRecord row = readBack(write(List.of(hostile))).get(0);

    assertThat(row.get("node")).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(row.get("scope")).isEqualTo("'@SUM(1+1)");
    assertThat(row.get("rule")).isEqualTo("'+1");
    assertThat(row.get("title")).isEqualTo("'-2");
    assertThat(row.get("detail")).isEqualTo("'=HYPERLINK(\"http://evil\")");
  }

  private static String write(List<Finding> findings) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new CsvReport().write(findings, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static List<CSVRecord> readBack(String csv) throws IOException {
    CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    try (CSVParser parser = CSVParser.parse(new StringReader(csv), format)) {
      assertThat(parser.getHeaderNames()).isEqualTo(CsvReport.HEADER);
      return parser.getRecords();
    }
  }
}
