package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.KubeBenchParserTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.groups.Tuple.tuple;

import dev.easel.compliance.domain.report.ConformanceProgress;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SonobuoyParserTest {

  private static final ReportContext CLUSTER = new ReportContext(null, null, null);

  private final SonobuoyParser parser = new SonobuoyParser();

  /**
   * The tarball layout of a Sonobuoy 0.53 run (results-4-e2e-failures.tar.gz), with its real
   * results trees; the e2e JUnit file, which Sonobuoy writes before the tree, must not be read
   * twice.
   */
  private static byte[] certifiedRun() {
    return new TestTarballs()
        .file("meta/config.json", "{}")
        .file("plugins/e2e/defintion.json", "{}")
        .file(
            "plugins/e2e/results/global/junit_01.xml",
            Fixtures.bytes("sonobuoy/junit_good_junit.xml"))
        .file(
            "plugins/e2e/sonobuoy_results.yaml",
            Fixtures.gunzipped("sonobuoy/results-4-e2e-failures.e2e.sonobuoy_results.yaml.gz"))
        .file("plugins/systemd-logs/results/kind-control-plane/systemd_logs", "Aug 17 17:04:00 ...")
        .file(
            "plugins/systemd-logs/sonobuoy_results.yaml",
            Fixtures.bytes("sonobuoy/results-4-e2e-failures.systemd-logs.sonobuoy_results.yaml"))
        .build();
  }

  @Test
  void resultsTreesGiveOneFindingPerTest() throws Exception {
    CollectingSink sink = parse(certifiedRun(), CLUSTER);

    assertThat(sink.findings).hasSize(5772);
    assertThat(sink.statusCounts())
        .containsOnly(
            entry(Status.PASS, 22L), entry(Status.FAIL, 4L), entry(Status.SKIPPED, 5746L));
    assertThat(sink.findings).extracting(Finding::severity).containsOnly(Severity.NONE);

    String name =
        "[sig-apps] Daemon set [Serial] should rollback without unnecessary restarts"
            + " [Conformance]";
    Finding failed = sink.rule(name);
    assertThat(failed.title()).isEqualTo(name);
    assertThat(failed.scope()).isEqualTo("e2e");
    assertThat(failed.status()).isEqualTo(Status.FAIL);
    assertThat(failed.detail())
        .startsWith(
            "/workspace/src/k8s.io/kubernetes/_output/dockerized/go/src/k8s.io/kubernetes/test/"
                + "e2e/framework/framework.go:630\n")
        .contains("Conformance test suite needs a cluster with at least 2 nodes.");
  }

  @Test
  void aResultsTreeWinsOverTheJunitFilesItWasMadeFrom() throws Exception {
    CollectingSink sink = parse(certifiedRun(), CLUSTER);

    assertThat(sink.findings)
        .extracting(Finding::ruleId)
        .doesNotContain("cis-kubernetes-benchmark-2.2.7");
  }

  @Test
  void aDaemonSetPluginsLeavesCarryTheirNode() throws Exception {
    CollectingSink sink = parse(certifiedRun(), new ReportContext("ignored", "worker", null));

    Finding logs = sink.rule("systemd_logs");
    assertThat(logs.scope()).isEqualTo("systemd-logs");
    assertThat(logs.node()).isEqualTo("kind-control-plane");
    assertThat(logs.role()).isEqualTo("worker");
    assertThat(logs.status()).isEqualTo(Status.PASS);
  }

  @Test
  void customStatusesAreShownAsInformation() throws Exception {
    byte[] tarball =
        new TestTarballs()
            .file(
                "plugins/custom-status/sonobuoy_results.yaml",
                Fixtures.bytes("sonobuoy/testResultsOutput.custom-status.sonobuoy_results.yaml"))
            .build();

    CollectingSink sink = parse(tarball, CLUSTER);

    assertThat(sink.findings).hasSize(7);
    assertThat(sink.statusCounts())
        .containsOnly(
            entry(Status.FAIL, 1L),
            entry(Status.PASS, 1L),
            entry(Status.SKIPPED, 1L),
            entry(Status.INFO, 4L));
    assertThat(sink.rule("Test item with custom status").detail())
        .isEqualTo("Sonobuoy status: custom");
    assertThat(sink.rule("Another test item with complete status").detail())
        .isEqualTo("Sonobuoy status: complete");
  }

  @Test
  void anOldTarballWithoutResultsTreesIsReadFromItsJunitFiles() throws Exception {
    CollectingSink sink =
        parse(Fixtures.bytes("sonobuoy/results-0.8.tar.gz"), new ReportContext("n1", null, null));

    assertThat(sink.findings).hasSize(693);
    assertThat(sink.statusCounts())
        .containsOnly(entry(Status.SKIPPED, 692L), entry(Status.PASS, 1L));
    Finding passed =
        sink.findings.stream().filter(f -> f.status() == Status.PASS).findFirst().orElseThrow();
    assertThat(passed.ruleId())
        .isEqualTo("[k8s.io] Pods should be submitted and removed [Conformance]");
    assertThat(passed.scope()).isEqualTo("e2e");
    assertThat(passed.node()).isEqualTo("n1");
  }

  @Test
  void junitWithATestsuitesRootGivesFailuresWithTheirMessages() throws Exception {
    byte[] tarball =
        new TestTarballs()
            .file(
                "plugins/cis/results/node-a/report.xml",
                Fixtures.bytes("sonobuoy/junit_good_junit.xml"))
            .build();

    CollectingSink sink = parse(tarball, CLUSTER);

    assertThat(sink.findings).hasSize(12);
    assertThat(sink.statusCounts())
        .containsOnly(entry(Status.SKIPPED, 2L), entry(Status.FAIL, 6L), entry(Status.PASS, 4L));
    Finding owned = sink.rule("File /var/lib/kubelet/config.yaml should be owned by \"root\"");
    assertThat(owned.detail())
        .isEqualTo(
            "expected File /var/lib/kubelet/config.yaml.owned_by?(\"root\") to return true, got"
                + " false");
    assertThat(owned.node()).isEqualTo("node-a");
    assertThat(owned.scope()).isEqualTo("cis");
  }

  @Test
  void junitWithSeveralSuitesGivesTheCasesOfEach() throws Exception {
    byte[] tarball =
        new TestTarballs()
            .file(
                "plugins/cis/results/global/out.xml",
                Fixtures.bytes("sonobuoy/junit_multiple_suites.xml"))
            .build();

    CollectingSink sink = parse(tarball, CLUSTER);

    assertThat(sink.findings)
        .extracting(Finding::ruleId, Finding::status, Finding::node)
        .containsExactly(
            tuple("cis-kubernetes-benchmark-2.2.7", Status.SKIPPED, null),
            tuple("cis-kubernetes-benchmark-2.2.7 the sequal", Status.SKIPPED, null));
  }

  @Test
  void junitDeclaringEntitiesIsRefusedWithoutReadingThem(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-MARKER");
    String xxe =
        "<?xml version=\"1.0\"?>\n"
            + "<!DOCTYPE testsuite [<!ENTITY xxe SYSTEM \""
            + secret.toUri()
            + "\">]>\n"
            + "<testsuite><testcase name=\"&xxe;\"><failure message=\"&xxe;\"/></testcase>"
            + "</testsuite>";
    byte[] tarball =
        new TestTarballs().file("plugins/e2e/results/global/junit_01.xml", xxe).build();
    CollectingSink sink = new CollectingSink();

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(tarball), CLUSTER, sink))
        .isInstanceOf(ReportRejected.class)
        .hasMessage(
            "the Sonobuoy results archive's plugins/e2e/results/global/junit_01.xml declares a"
                + " document type (DTD), which JUnit results never need; refused");
    assertThat(sink.findings).isEmpty();
  }

  @Test
  void malformedJunitIsRejectedWithItsPath() {
    byte[] tarball =
        new TestTarballs()
            .file("plugins/e2e/results/global/junit_01.xml", "<testsuite><testcase name=\"a\">")
            .build();

    assertThatThrownBy(() -> parse(tarball, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith(
            "the Sonobuoy results archive's plugins/e2e/results/global/junit_01.xml is not valid"
                + " XML: ");
  }

  @Test
  void anEntryClimbingOutOfTheArchiveIsRejected() {
    byte[] tarball = new TestTarballs().file("plugins/e2e/../../../evil", "x").build();

    assertThatThrownBy(() -> parse(tarball, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage(
            "the Sonobuoy results archive holds \"plugins/e2e/../../../evil\", which escapes the"
                + " archive; refused");
  }

  @Test
  void anEntryWithAnAbsolutePathIsRejected() {
    byte[] tarball = new TestTarballs().file("/etc/cron.d/evil", "x").build();

    assertThatThrownBy(() -> parse(tarball, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageContaining("\"/etc/cron.d/evil\", which escapes the archive");
  }

  @Test
  void aLinkIsRejected() {
    byte[] tarball =
        new TestTarballs().symlink("plugins/e2e/sonobuoy_results.yaml", "/etc/passwd").build();

    assertThatThrownBy(() -> parse(tarball, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage(
            "the Sonobuoy results archive holds a link, \"plugins/e2e/sonobuoy_results.yaml\" ->"
                + " \"/etc/passwd\", which could escape the archive; refused");
  }

  @Test
  void anArchiveDecompressingPastTheLimitIsRejected() {
    byte[] tarball = new TestTarballs().file("podlogs/zeros.txt", new byte[8 << 20]).build();
    SonobuoyParser small = new SonobuoyParser(new ReportLimits(1 << 20, 1 << 20, 100));

    assertThat(tarball.length).isLessThan(64 << 10);
    assertThatThrownBy(
            () -> small.parse(new ByteArrayInputStream(tarball), CLUSTER, new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the Sonobuoy results archive decompresses to more than 1 MiB");
  }

  @Test
  void anArchiveWithTooManyEntriesIsRejected() {
    TestTarballs many = new TestTarballs();
    for (int i = 0; i < 20; i++) {
      many.file("resources/ns/n" + i + ".json", "{}");
    }
    SonobuoyParser small = new SonobuoyParser(new ReportLimits(1 << 20, 1 << 20, 10));

    assertThatThrownBy(
            () ->
                small.parse(new ByteArrayInputStream(many.build()), CLUSTER, new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the Sonobuoy results archive holds more than 10 entries; refused");
  }

  @Test
  void anArchiveLargerThanTheLimitIsRejected() {
    SonobuoyParser small = new SonobuoyParser(new ReportLimits(10 << 10, 1L << 30, 100_000));

    assertThatThrownBy(
            () ->
                small.parse(
                    Fixtures.open("sonobuoy/results-0.8.tar.gz"), CLUSTER, new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the Sonobuoy results archive is larger than 10 KiB");
  }

  @Test
  void somethingOtherThanGzipIsRejected() {
    assertThatThrownBy(() -> parse("plugins/e2e".getBytes(StandardCharsets.UTF_8), CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith(
            "the Sonobuoy results archive is not a gzip-compressed tar archive");
  }

  @Test
  void aTruncatedArchiveIsRejected() {
    byte[] whole = Fixtures.bytes("sonobuoy/results-0.8.tar.gz");
    byte[] half = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> parse(half, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the Sonobuoy results archive ");
  }

  @Test
  void aResultsTreeLargerThanSnakeYamlsDefaultLimitIsRead() throws Exception {
    StringBuilder yaml = new StringBuilder("name: e2e\nstatus: passed\nitems:\n");
    yaml.append("- name: junit_01.xml\n  status: passed\n  items:\n");
    String padding = "x".repeat(200);
    for (int i = 0; i < 20_000; i++) {
      yaml.append("  - name: '[sig-test] case ")
          .append(i)
          .append(' ')
          .append(padding)
          .append("'\n");
      yaml.append("    status: passed\n");
    }
    assertThat(yaml.length()).isGreaterThan(4 << 20);
    byte[] tarball =
        new TestTarballs().file("plugins/e2e/sonobuoy_results.yaml", yaml.toString()).build();

    CollectingSink sink = parse(tarball, CLUSTER);

    assertThat(sink.findings).hasSize(20_000);
  }

  @Test
  void invalidYamlIsRejectedWithItsPath() {
    byte[] tarball =
        new TestTarballs()
            .file("plugins/e2e/sonobuoy_results.yaml", "name: e2e\nitems: [\n  - {name: a\n")
            .build();

    assertThatThrownBy(() -> parse(tarball, CLUSTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith(
            "the Sonobuoy results archive's plugins/e2e/sonobuoy_results.yaml is not valid YAML: ");
  }

  @Test
  void statusOfAFinishedRunSumsItsPlugins() throws Exception {
    ConformanceProgress progress = parser.status(Fixtures.open("sonobuoy/status.json"));

    assertThat(progress.status()).isEqualTo("complete");
    assertThat(progress.finished()).isTrue();
    assertThat(progress.completed()).isEqualTo(1);
    assertThat(progress.total()).isEqualTo(1);
    assertThat(progress.remaining()).isZero();
    assertThat(progress.passed()).isEqualTo(4);
    assertThat(progress.failed()).isZero();
    assertThat(progress.skipped()).isEqualTo(7041);
    assertThat(progress.failedTests()).isEmpty();
  }

  @Test
  void statusOfARunStillPostProcessingIsNotFinished() throws Exception {
    ConformanceProgress progress =
        parser.status(Fixtures.open("sonobuoy/status-post-processing.json"));

    assertThat(progress.status()).isEqualTo("post-processing");
    assertThat(progress.finished()).isFalse();
    assertThat(progress.skipped()).isEqualTo(5666);
  }

  @Test
  void statusListsTheTestsThatFailedSoFar() throws Exception {
    ConformanceProgress progress =
        parser.status(
            json(
                """
                {"plugins":[{"plugin":"e2e","node":"global","status":"running",
                  "progress":{"name":"e2e","node":"global","msg":"FAILED [sig-network] a",
                   "total":388,"completed":120,"failures":["[sig-network] a","[sig-apps] b"],
                   "appendtotals":false}},
                 {"plugin":"systemd-logs","node":"kind-worker","status":"complete",
                  "result-status":"failed","result-counts":{"failed":1,"timeout":1}}],
                 "status":"running","tar-info":{"name":""},"future":{"field":1}}
                """));

    assertThat(progress.status()).isEqualTo("running");
    assertThat(progress.completed()).isEqualTo(120);
    assertThat(progress.total()).isEqualTo(388);
    assertThat(progress.remaining()).isEqualTo(268);
    assertThat(progress.failedTests()).containsExactly("[sig-network] a", "[sig-apps] b");
    assertThat(progress.failed()).isEqualTo(2);
  }

  @Test
  void statusWithoutTheRunsStateIsRejected() {
    assertThatThrownBy(() -> parser.status(json("{\"plugins\":[]}")))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the Sonobuoy status does not say the run's status");
  }

  @Test
  void statusThatIsNotJsonIsRejected() {
    assertThatThrownBy(() -> parser.status(json("PLUGIN NODE STATUS")))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the Sonobuoy status is not valid JSON: ");
  }

  private CollectingSink parse(byte[] tarball, ReportContext ctx) throws ReportRejected {
    CollectingSink sink = new CollectingSink();
    parser.parse(new ByteArrayInputStream(tarball), ctx, sink);
    return sink;
  }
}
