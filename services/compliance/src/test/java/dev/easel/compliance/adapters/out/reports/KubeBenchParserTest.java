package dev.easel.compliance.adapters.out.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KubeBenchParserTest {

  private static final ReportContext MASTER = new ReportContext("cp-1", "control-plane", null);

  private final KubeBenchParser parser = new KubeBenchParser();

  @Test
  void kubeBenchWithTotalsGivesOneFindingPerCheck() throws Exception {
    CollectingSink sink = parse(Fixtures.open("kube-bench/result.json"), MASTER);

    assertThat(sink.findings).extracting(Finding::ruleId).containsExactly("1.1.1", "2.1", "3.1.1");
    Finding check = sink.rule("1.1.1");
    assertThat(check.node()).isEqualTo("cp-1");
    assertThat(check.role()).isEqualTo("control-plane");
    assertThat(check.scope()).isEqualTo("1.1");
    assertThat(check.title())
        .isEqualTo(
            "Ensure that the API server pod specification file permissions are set to 644 or more"
                + " restrictive (Scored)");
    assertThat(check.status()).isEqualTo(Status.PASS);
    assertThat(check.severity()).isEqualTo(Severity.NONE);
    assertThat(check.detail()).isEqualTo("permissions=600");
    assertThat(check.remediation())
        .isEqualTo(
            "Run the below command (based on the file location on your system) on the\n"
                + "master node.\n"
                + "For example, chmod 644 /etc/kubernetes/manifests/kube-apiserver.yaml");
    assertThat(check.reference()).isNull();
    assertThat(check.affected()).isNull();
    assertThat(sink.rule("2.1").scope()).isEqualTo("2");
    assertThat(sink.rule("2.1").detail()).startsWith("root      3277  3218  3 Apr19 ?");
  }

  @Test
  void kubeBenchWithoutTotalsGivesTheSameFindings() throws Exception {
    CollectingSink withTotals = parse(Fixtures.open("kube-bench/result.json"), MASTER);
    CollectingSink bare = parse(Fixtures.open("kube-bench/result_no_totals.json"), MASTER);

    assertThat(bare.findings).hasSize(3).isEqualTo(withTotals.findings);
  }

  @Test
  void aManualCheckWarnsWithKubeBenchsReason() throws Exception {
    CollectingSink sink = parse(Fixtures.open("kube-bench/result.json"), MASTER);

    Finding manual = sink.rule("3.1.1");
    assertThat(manual.status()).isEqualTo(Status.WARN);
    assertThat(manual.scope()).isEqualTo("3.1");
    assertThat(manual.detail()).isEqualTo("Test marked as a manual test");
  }

  @Test
  void theRoleComesFromTheControlsNodeTypeWhenTheScanDoesNotSayIt() throws Exception {
    CollectingSink sink =
        parse(Fixtures.open("kube-bench/result.json"), new ReportContext("cp-1", null, null));

    assertThat(sink.findings).extracting(Finding::role).containsOnly("control-plane");

    CollectingSink worker =
        parse(
            json(
                """
                {"Controls":[{"node_type":"node","tests":[{"section":"4.1","results":[
                  {"test_number":"4.1.1","status":"FAIL","actual_value":"permissions=777"}]}]}]}
                """),
            ReportContext.none());
    assertThat(worker.rule("4.1.1").role()).isEqualTo("worker");
    assertThat(worker.rule("4.1.1").status()).isEqualTo(Status.FAIL);
  }

  @Test
  void unknownFieldsAreIgnoredAndMissingOnesAccepted() throws Exception {
    CollectingSink sink =
        parse(
            json(
                """
                {"Controls":[{"id":"1","version":"cis-1.10","detected_version":"1.28",
                  "node_type":"master","brandNew":{"deep":[1,2,{"x":null}]},
                  "tests":[{"section":"1.2","results":[
                    {"test_number":"1.2.1","test_desc":"Ensure anonymous auth is off",
                     "AuditEnv":"","IsMultiple":false,"status":"INFO","scored":false,
                     "someday":["a"]},
                    {"test_number":"1.2.2"}]}]}],
                 "Totals":{"total_pass":0},"Extra":true}
                """),
            MASTER);

    assertThat(sink.findings).hasSize(2);
    Finding info = sink.rule("1.2.1");
    assertThat(info.status()).isEqualTo(Status.INFO);
    assertThat(info.detail()).isNull();
    assertThat(info.remediation()).isNull();
    assertThat(sink.rule("1.2.2").title()).isNull();
  }

  @Test
  void aReportWithNoControlsRunIsEmpty() throws Exception {
    CollectingSink sink = parse(json("{\"Controls\":null,\"Totals\":{}}"), MASTER);

    assertThat(sink.findings).isEmpty();
  }

  @Test
  void invalidJsonIsRejectedWithTheReason() {
    assertThatThrownBy(() -> parse(json("{\"Controls\":[{\"id\":\"1\",}]}"), MASTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith("the kube-bench report is not valid JSON: ")
        .hasMessageContaining("line 1");
  }

  @Test
  void anEmptyReportIsRejected() {
    assertThatThrownBy(() -> parse(json(""), MASTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-bench report is empty");
  }

  @Test
  void anObjectWithoutControlsIsRejected() {
    assertThatThrownBy(() -> parse(json("{\"Totals\":{}}"), MASTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-bench report has no Controls");
  }

  @Test
  void aReportLargerThanTheLimitIsRejected() {
    KubeBenchParser small = new KubeBenchParser(new ReportLimits(1 << 20, 1L << 30, 10));

    assertThatThrownBy(
            () -> small.parse(GeneratedReport.endless("[", " "), MASTER, new CollectingSink()))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-bench report is larger than 1 MiB");
  }

  @Test
  void jsonNestedTooDeeplyIsRejected() {
    String deep = "[" + "[".repeat(5_000) + "]".repeat(5_000) + "]";

    assertThatThrownBy(() -> parse(json(deep), MASTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-bench report nests deeper than 100 levels");
  }

  @Test
  void contentAfterTheReportIsRejected() {
    assertThatThrownBy(() -> parse(json("[] {\"Controls\":[]}"), MASTER))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-bench report has more content after its end");
  }

  private CollectingSink parse(InputStream in, ReportContext ctx) throws ReportRejected {
    CollectingSink sink = new CollectingSink();
    parser.parse(in, ctx, sink);
    return sink;
  }

  static InputStream json(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
