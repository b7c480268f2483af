package dev.easel.compliance.adapters.out.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class PdfReportTest {

  private static final Instant STARTED = Instant.parse("2026-03-01T00:00:05Z");
  private static final Instant FINISHED = Instant.parse("2026-03-01T00:04:40Z");

  private static Map<String, Long> summary() {
    Map<String, Long> summary = new LinkedHashMap<>();
    summary.put("high", 1L);
    summary.put("medium", 1L);
    summary.put("low", 0L);
    return summary;
  }

  private static Finding vulnerability(String id, String title, String detail) {
    return new Finding(
        null,
        null,
        "external",
        id,
        title,
        Status.FAIL,
        Severity.HIGH,
        detail,
        null,
        "https://avd.aquasec.com/kube-hunter/" + id.toLowerCase() + "/",
        null);
  }

  @Test
  void theReportNamesTheClusterAndShowsTheSummaryAndTheFindings() throws Exception {
    ReportDocument report =
        new ReportDocument(
            "prod-east",
            "scan-7f3a",
            "Penetration Testing",
            STARTED,
            FINISHED,
            "Completed",
            summary(),
            List.of(
                vulnerability("KHV002", "K8s Version Disclosure", "v1.28.3"),
                new Finding(
                    null,
                    null,
                    "registry.local/app:1.4",
                    "CVE-2024-0001",
                    "A flaw",
                    Status.FAIL,
                    Severity.CRITICAL,
                    null,
                    null,
                    null,
                    new AffectedPackage(
                        "openssl", "3.0.2", "deb", null, "fixed", List.of("3.0.13"), List.of()))));

    String text = text(write(report));

    assertThat(text)
        .contains("Compliance scan report")
        .contains("prod-east")
        .contains("scan-7f3a")
        .contains("Penetration Testing")
        .contains("2026-03-01 00:00:05 UTC")
        .contains("Completed")
        .contains("high: 1")
        .contains("medium: 1")
        .contains("low: 0")
        .contains("KHV002")
        .contains("K8s Version Disclosure")
        .contains("fixed in 3.0.13")
        .contains("page 1 of 1");
  }

  @Test
  void twoThousandFindingsRunOverSeveralPages() throws Exception {
    List<Finding> findings =
        IntStream.range(0, 2_000)
            .mapToObj(
                i ->
                    vulnerability(
                        "KHV" + i,
                        "Finding number " + i,
                        "Evidence that goes on for a while, " + "long ".repeat(i % 40)))
            .toList();
    ReportDocument report =
        new ReportDocument(
            "prod-east", "scan-1", "kube-hunter", STARTED, null, "InProgress", summary(), findings);

    byte[] pdf = write(report);

    try (PDDocument doc = Loader.loadPDF(pdf)) {
      int pages = doc.getNumberOfPages();
      assertThat(pages).isGreaterThan(1);
      String text = new PDFTextStripper().getText(doc);
      assertThat(text)
          .contains("KHV0")
          .contains("KHV1999")
          .contains("page " + pages + " of " + pages);
    }
  }

  @Test
  void charactersHelveticaLacksAreReplacedNotFatal() throws Exception {
    ReportDocument report =
        new ReportDocument(
            "café-漢字",
            "scan-é",
            "SBOM",
            STARTED,
            FINISHED,
            "Completed",
            Map.of("Critical ☠", 1L),
            List.of(
                vulnerability(
                    "CVE-2024-0001",
                    "Caf\u0065\u0301 é漢 \uD83D\uDE00 tab\there",
                    "line one\r\nline two\u0000\u0007 ✓")));

    String text = text(write(report));

    assertThat(text)
        .contains("café-??")
        .contains("Café é? ? tab here")
        .contains("line one")
        .contains("line two")
        .contains("Critical ?: 1");
  }

  @Test
  void longTextWrapsAndIsCutToAPageSizedCell() throws Exception {
    String unbroken = "x".repeat(20_000);
    String lines = "a line of evidence\n".repeat(500);
    ReportDocument report =
        new ReportDocument(
            "c",
            "s",
            "k",
            STARTED,
            FINISHED,
            "Completed",
            Map.of(),
            List.of(
                vulnerability("KHV100", unbroken, lines),
                vulnerability("KHV101", "short", unbroken)));

    byte[] pdf = write(report);

    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("KHV100").contains("KHV101").contains("...");
      assertThat(doc.getNumberOfPages()).isBetween(1, 2);
    }
  }

  @Test
  void aReportWithoutFindingsSaysSo() throws Exception {
    ReportDocument report =
        new ReportDocument("c", "s", "k", STARTED, FINISHED, "Completed", null, null);

    assertThat(text(write(report))).contains("No findings.").contains("No counts.");
  }

  private static byte[] write(ReportDocument report) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PdfReport().write(report, out);
    return out.toByteArray();
  }

  private static String text(byte[] pdf) throws IOException {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      return new PDFTextStripper().getText(doc);
    }
  }
}
