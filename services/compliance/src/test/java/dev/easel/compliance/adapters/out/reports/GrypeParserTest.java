package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.KubeBenchParserTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.ReportSink;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GrypeParserTest {

  private static final ReportContext IMAGE =
      new ReportContext(null, null, "registry.local/app:1.4");

  private final GrypeParser parser = new GrypeParser();

  @Test
  void grypeGivesOneFailingFindingPerMatch() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("grype/TestJsonImgsPresenter.json"), ReportContext.none());

    assertThat(sink.findings).hasSize(2);
    Finding low = sink.rule("CVE-1999-0001");
    assertThat(low.title()).isEqualTo("CVE-1999-0001");
    assertThat(low.status()).isEqualTo(Status.FAIL);
    assertThat(low.severity()).isEqualTo(Severity.LOW);
    assertThat(low.scope()).isEqualTo("user-input");
    assertThat(low.detail()).isNull();
    assertThat(low.reference()).isNull();
    assertThat(low.affected())
        .isEqualTo(
            new AffectedPackage(
                "package-1",
                "1.1.1",
                "rpm",
                null,
                "fixed",
                List.of("1.2.1", "2.1.3", "3.4.0"),
                List.of("/foo/bar/somefile-1.txt")));

    Finding critical = sink.rule("CVE-1999-0002");
    assertThat(critical.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(critical.affected())
        .isEqualTo(
            new AffectedPackage(
                "package-2",
                "2.2.2",
                "deb",
                "pkg:deb/package-2@2.2.2",
                null,
                List.of(),
                List.of("/foo/bar/somefile-2.txt")));
  }

  @Test
  void aDirectoryScansScopeIsItsPath() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("grype/TestJsonDirsPresenter.json"), ReportContext.none());

    assertThat(sink.findings).extracting(Finding::scope).containsOnly("/some/path");
  }

  @Test
  void theScannedImageTheScanNamesIsTheScope() throws Exception {
    CollectingSink sink = parse(Fixtures.open("grype/TestJsonImgsPresenter.json"), IMAGE);

    assertThat(sink.findings).extracting(Finding::scope).containsOnly("registry.local/app:1.4");
  }

  @Test
  void theDescriptionGivesTitleAndDetailAndUnknownFieldsAreIgnored() throws Exception {
    String longLine = "word ".repeat(60).strip();
    CollectingSink sink =
        parse(
            json(
                """
                {"matches":[
                  {"vulnerability":{"id":"GHSA-xxxx","dataSource":"https://github.com/advisories/GHSA-xxxx",
                    "namespace":"github:language:java","severity":"High",
                    "urls":["https://example.org/a"],
                    "description":"Deserialization of untrusted data in Example.\\nMore detail.",
                    "cvss":[{"version":"3.1","metrics":{"baseScore":8.1}}],"risk":12.5,
                    "fix":{"versions":["2.0.1"],"state":"fixed","available":[{"version":"2.0.1"}]},
                    "brandNew":{"x":[1]}},
                   "relatedVulnerabilities":[{"id":"CVE-2024-0001"}],
                   "matchDetails":[],
                   "artifact":{"name":"example","version":"2.0.0","type":"java-archive",
                     "locations":[{"path":"/app/lib/example.jar","layerID":"sha256:1"}],
                     "purl":"pkg:maven/org.example/example@2.0.0","upstreams":[]}},
                  {"vulnerability":{"id":"CVE-2024-0002","severity":"Negligible",
                     "urls":["https://example.org/b"],"description":"%s"},
                   "artifact":{"name":"libc6","version":"2.35"}},
                  {"vulnerability":{"severity":"High"},"artifact":{"name":"no-id-is-skipped"}}],
                 "ignoredMatches":[{"vulnerability":{"id":"CVE-IGNORED"}}],
                 "alertsByPackage":[],"source":{"type":"image","target":{"userInput":"x"}},
                 "descriptor":{"name":"grype","version":"0.110.0"}}
                """
                    .formatted(longLine)),
            IMAGE);

    assertThat(sink.findings)
        .extracting(Finding::ruleId)
        .containsExactly("GHSA-xxxx", "CVE-2024-0002");
    Finding ghsa = sink.rule("GHSA-xxxx");
    assertThat(ghsa.title()).isEqualTo("Deserialization of untrusted data in Example.");
    assertThat(ghsa.detail())
        .isEqualTo("Deserialization of untrusted data in Example.\nMore detail.");
    assertThat(ghsa.reference()).isEqualTo("https://github.com/advisories/GHSA-xxxx");
    assertThat(ghsa.severity()).isEqualTo(Severity.HIGH);
    assertThat(ghsa.affected().fixedIn()).containsExactly("2.0.1");
    assertThat(ghsa.affected().locations()).containsExactly("/app/lib/example.jar");

    Finding negligible = sink.rule("CVE-2024-0002");
    assertThat(negligible.severity()).isEqualTo(Severity.NEGLIGIBLE);
    assertThat(negligible.reference()).isEqualTo("https://example.org/b");
    assertThat(negligible.title())
        .hasSizeLessThanOrEqualTo(GrypeParser.MAX_TITLE_LENGTH)
        .endsWith("word...");
    assertThat(negligible.affected().type()).isNull();
  }

  @Test
  void fiftyThousandMatchesAreStreamedOneAtATime() throws Exception {
    GeneratedReport report =
        new GeneratedReport(
            "{\"matches\":[",
            GrypeParserTest::match,
            50_000,
            "],\"source\":{\"type\":\"image\",\"target\":{\"userInput\":\"big\"}}}");
    AtomicLong readAtFirst = new AtomicLong(-1);
    AtomicLong critical = new AtomicLong();

    parser.parse(
        report,
        IMAGE,
        (ReportSink)
            finding -> {
              readAtFirst.compareAndSet(-1, report.produced());
              if (finding.severity() == Severity.CRITICAL) {
                critical.incrementAndGet();
              }
            });

    assertThat(critical).hasValue(10_000);
    assertThat(report.produced()).isGreaterThan(50_000_000);
    // The first finding arrives after one buffer of the report, not after all of it.
    assertThat(readAtFirst.get()).isLessThan(1 << 20);
  }

  @Test
  void invalidJsonIsRejected() {
    assertThatThrownBy(() -> parse(json("{\"matches\":[{]}"), IMAGE))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the Grype report is not valid JSON: ");
  }

  @Test
  void invalidJsonIsRejectedWhenTheReportIsReadTwice() {
    assertThatThrownBy(() -> parse(json("{\"matches\":[{]}"), ReportContext.none()))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the Grype report is not valid JSON: ");
  }

  @Test
  void aReportLargerThanTheLimitIsRejected() {
    GrypeParser small = new GrypeParser(new ReportLimits(1 << 20, 1L << 30, 10));

    assertThatThrownBy(
            () ->
                small.parse(
                    GeneratedReport.endless("{\"matches\":[", " "),
                    ReportContext.none(),
                    new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the Grype report is larger than 1 MiB");
  }

  private static String match(int i) {
    String severity = List.of("Critical", "High", "Medium", "Low", "Negligible").get(i % 5);
    return """
        {"vulnerability":{"id":"CVE-2024-%1$05d","dataSource":"https://nvd.nist.gov/vuln/detail/CVE-2024-%1$05d",
          "namespace":"nvd:cpe","severity":"%2$s","urls":["https://example.org/%1$d"],
          "description":"A flaw was found in package %1$d that lets a remote attacker do things they should not be able to do, in some configurations, sometimes.",
          "cvss":[{"source":"nvd@nist.gov","type":"Primary","version":"3.1","vector":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H","metrics":{"baseScore":9.8,"exploitabilityScore":3.9,"impactScore":5.9},"vendorMetadata":{}}],
          "epss":[{"cve":"CVE-2024-%1$05d","epss":0.01,"percentile":0.5,"date":"2025-01-01"}],
          "fix":{"versions":["1.%1$d.1"],"state":"fixed"},"advisories":[],"risk":1.5},
         "relatedVulnerabilities":[],
         "matchDetails":[{"type":"exact-direct-match","matcher":"java-matcher","searchedBy":{"language":"java","namespace":"github:language:java","package":{"name":"pkg-%1$d","version":"1.%1$d.0"}},"found":{"vulnerabilityID":"CVE-2024-%1$05d","versionConstraint":"< 1.%1$d.1 (unknown)"}}],
         "artifact":{"id":"%1$x","name":"pkg-%1$d","version":"1.%1$d.0","type":"java-archive",
          "locations":[{"path":"/app/lib/pkg-%1$d.jar","layerID":"sha256:abc"}],"language":"java",
          "licenses":["Apache-2.0"],"cpes":["cpe:2.3:a:example:pkg-%1$d:1.%1$d.0:*:*:*:*:*:*:*"],
          "purl":"pkg:maven/org.example/pkg-%1$d@1.%1$d.0","upstreams":[]}}
        """
        .formatted(i, severity);
  }

  private CollectingSink parse(InputStream in, ReportContext ctx) throws ReportRejected {
    CollectingSink sink = new CollectingSink();
    parser.parse(in, ctx, sink);
    return sink;
  }
}
