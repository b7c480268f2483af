package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.KubeBenchParserTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class KubeHunterParserTest {

  private static final ReportContext EXTERNAL = new ReportContext(null, null, "external");

  private final KubeHunterParser parser = new KubeHunterParser();

  @Test
  void kubeHunterGivesOneFailingFindingPerVulnerability() throws Exception {
    CollectingSink sink = parse(Fixtures.open("kube-hunter/kube-hunter.SYNTHETIC.json"));

    assertThat(sink.findings)
        .extracting(Finding::ruleId, Finding::severity)
        .containsExactly(
            tuple("KHV002", Severity.HIGH),
            tuple("KHV043", Severity.LOW),
            tuple("KHV052", Severity.MEDIUM));
    assertThat(sink.findings).extracting(Finding::status).containsOnly(Status.FAIL);
    assertThat(sink.findings).extracting(Finding::scope).containsOnly("external");
    assertThat(sink.findings).extracting(Finding::remediation).containsOnlyNulls();

    Finding version = sink.rule("KHV002");
    assertThat(version.title()).isEqualTo("K8s Version Disclosure");
    assertThat(version.reference()).isEqualTo("https://avd.aquasec.com/kube-hunter/khv002/");
    assertThat(version.detail())
        .isEqualTo(
            "v1.28.3\n"
                + "The kubernetes version could be obtained from the /version endpoint\n"
                + "Found at 192.168.49.2:8443");
  }

  @Test
  void aDocstringsLineBreaksAndIndentationAreFolded() throws Exception {
    CollectingSink sink = parse(Fixtures.open("kube-hunter/kube-hunter.SYNTHETIC.json"));

    assertThat(sink.rule("KHV043").detail())
        .isEqualTo(
            "status: ok\n"
                + "By accessing the open /healthz handler, an attacker could get the cluster"
                + " health state without authenticating\n"
                + "Found at 192.168.49.2:10255");
    assertThat(sink.rule("KHV052").title()).isEqualTo("Exposed Pods");
  }

  @Test
  void aLegacyVulnerabilityWithoutAnIdIsNamedByItsTitle() throws Exception {
    CollectingSink sink =
        parse(
            json(
                """
                {"nodes":[],"services":[],"vulnerabilities":[
                  {"vid":"None","vulnerability":"Exposed Run Inside Container","severity":"high",
                   "evidence":"","extra":{"ignored":true}}],
                 "hunter_statistics":[{"name":"x","description":"y","vulnerabilities":0}]}
                """));

    Finding legacy = sink.findings.get(0);
    assertThat(legacy.ruleId()).isEqualTo("Exposed Run Inside Container");
    assertThat(legacy.detail()).isNull();
    assertThat(legacy.severity()).isEqualTo(Severity.HIGH);
  }

  @Test
  void aCleanScanHasNoFindings() throws Exception {
    assertThat(parse(json("{\"nodes\":[],\"services\":[],\"vulnerabilities\":[]}")).findings)
        .isEmpty();
  }

  @Test
  void somethingOtherThanAnObjectIsRejected() {
    assertThatThrownBy(() -> parse(json("[\"KHV002\"]")))
        .isInstanceOf(ReportRejected.class)
        .hasMessage("the kube-hunter report is not a JSON object");
  }

  @Test
  void truncatedJsonIsRejected() {
    assertThatThrownBy(() -> parse(json("{\"vulnerabilities\":[{\"vid\":\"KHV002\"")))
        .isInstanceOf(ReportRejected.class)
        .hasMessageStartingWith(
            "the kube-hunter report is not valid JSON: Unexpected end-of-input");
  }

  private CollectingSink parse(InputStream in) throws ReportRejected {
    CollectingSink sink = new CollectingSink();
    parser.parse(in, EXTERNAL, sink);
    return sink;
  }
}
