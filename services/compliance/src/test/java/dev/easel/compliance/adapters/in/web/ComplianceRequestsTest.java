package dev.easel.compliance.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.support.Packs;
import dev.easel.compliance.support.RunningCompliance;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.compliance.FeatureAvailable;
import dev.easel.contracts.compliance.FeatureEnabled;
import dev.easel.contracts.compliance.FeatureUnavailable;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API's answers to what it must refuse, and to what it must take once: compliance on the real
 * broker and PostgreSQL, pack-manager's and cluster-former's events sent as they send them, and
 * node-discovery's answers to the feature installs sent as it answers. Nothing refused changes
 * anything.
 */
class ComplianceRequestsTest {

  private static final String HINT = "compliance_requests";
  private static RunningCompliance compliance;
  private static EventStream events;
  private static final UUID CLUSTER = UUID.randomUUID();
  private static final List<UUID> NODES =
      List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

  @BeforeAll
  static void start() {
    Infrastructure.get().createTopics(3, "easel.nodes.events." + HINT);
    compliance = RunningCompliance.start(HINT, "easel.nodes.events." + HINT, Map.of());
    events = EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.compliance.events");
    compliance.sendPackEvent(Packs.PROFILE, Packs.profile("1.0.0", "1.32.3"));
    compliance.sendClusterEvent(CLUSTER, Packs.running(CLUSTER, "requests", "1.0.0", NODES));
    Awaitility.await("cluster known")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> features().statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    if (events != null) {
      events.close();
    }
    if (compliance != null) {
      compliance.close();
    }
  }

  private static HttpResponse<String> features() throws Exception {
    return compliance.call("GET", "/api/v1/clusters/" + CLUSTER + "/compliance/features", null);
  }

  private static JsonNode feature(String name) throws Exception {
    for (JsonNode f : compliance.json(features()).get("features")) {
      if (f.get("feature").asString().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no feature " + name);
  }

  /** Enables a feature, answering its install plan as node-discovery does when it completes. */
  private static void enable(String name) throws Exception {
    Awaitility.await(name + " available")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> feature(name).get("available").asBoolean());
    HttpResponse<String> put =
        compliance.call(
            "PUT", "/api/v1/clusters/" + CLUSTER + "/compliance/features/" + name, null);
    assertThat(put.statusCode()).as(put.body()).isIn(200, 202);
    JsonNode f = compliance.json(put);
    if (f.get("enabled").asBoolean()) {
      return;
    }
    String plan = f.get("installation").get("planId").asString();
    PlanFinished done = new PlanFinished(plan, NODES.get(0), Map.of(), Instant.now());
    compliance.send("easel.compliance.replies", NODES.get(0).toString(), done);
    Awaitility.await(name + " enabled")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> feature(name).get("enabled").asBoolean());
  }

  @Test
  void featuresAreAvailableWhileTheirPackIsInARegistryAndMarkedWithoutSourceWhenItLeaves()
      throws Exception {
    assertThat(feature("conformance").get("available").asBoolean()).isFalse();
    assertThat(feature("conformance").get("unavailableReason").asString())
        .contains(Packs.CONFORMANCE);

    events
        .stimulate(() -> compliance.sendPackEvent("r", Packs.added(Packs.CONFORMANCE, "1.0.0")))
        .andWaitForEventOfType(FeatureAvailable.class)
        .matching(e -> e.feature().equals("conformance"))
        .within(Duration.ofSeconds(30))
        .toArrive();
    assertThat(feature("conformance").get("availableVersion").asString()).isEqualTo("1.0.0");
    enable("conformance");

    events
        .stimulate(() -> compliance.sendPackEvent("r", Packs.removed(Packs.CONFORMANCE, "1.0.0")))
        .andWaitForEventOfType(FeatureUnavailable.class)
        .matching(e -> e.feature().equals("conformance"))
        .within(Duration.ofSeconds(30))
        .toArrive();
    JsonNode f = feature("conformance");
    assertThat(f.get("available").asBoolean()).isFalse();
    assertThat(f.get("enabled").asBoolean()).isTrue();
    assertThat(f.get("sourceMissing").asBoolean()).isTrue();

    // It comes back: available again, and no longer without a source.
    compliance.sendPackEvent("r", Packs.added(Packs.CONFORMANCE, "1.0.0"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !feature("conformance").get("sourceMissing").asBoolean());
  }

  @Test
  void enablingTwiceInstallsOnceAndADuplicatedAnswerEnablesOnce() throws Exception {
    compliance.sendPackEvent("r", Packs.added(Packs.THIRD_PARTY, "1.0.0"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> feature("penetration-testing").get("available").asBoolean());
    String path = "/api/v1/clusters/" + CLUSTER + "/compliance/features/penetration-testing";
    JsonNode first = compliance.json(compliance.call("PUT", path, null));
    JsonNode second = compliance.json(compliance.call("PUT", path, null));
    String plan = first.get("installation").get("planId").asString();
    assertThat(second.get("installation").get("planId").asString()).isEqualTo(plan);

    PlanFinished done = new PlanFinished(plan, NODES.get(0), Map.of(), Instant.now());
    events
        .stimulate(
            () -> {
              compliance.send("easel.compliance.replies", NODES.get(0).toString(), done);
              compliance.send("easel.compliance.replies", NODES.get(0).toString(), done);
            })
        .andWaitForEventOfType(FeatureEnabled.class)
        .matching(e -> e.clusterId().equals(CLUSTER) && e.feature().equals("penetration-testing"))
        .toArriveOnlyOnceWithin(Duration.ofSeconds(3));
    assertThat(compliance.json(compliance.call("PUT", path, null)).get("enabled").asBoolean())
        .isTrue();
  }

  @Test
  void anAnswerForAPlanNobodySentChangesNothing() throws Exception {
    PlanFinished stray =
        new PlanFinished(
            "scan-" + UUID.randomUUID() + "-" + NODES.get(1),
            NODES.get(1),
            Map.of(),
            Instant.now());
    compliance.send("easel.compliance.replies", NODES.get(1).toString(), stray);
    PlanFinished strayFeature =
        new PlanFinished("feature-" + CLUSTER + "-sbom-7", NODES.get(0), Map.of(), Instant.now());
    compliance.send("easel.compliance.replies", NODES.get(0).toString(), strayFeature);
    events
        .andWaitForEventOfType(FeatureEnabled.class)
        .matching(e -> e.feature().equals("sbom"))
        .toNotArriveWithin(Duration.ofSeconds(2));
    assertThat(feature("sbom").has("installation")).isFalse();
  }

  @Test
  void anUnknownFeatureIsABadRequest() throws Exception {
    HttpResponse<String> r =
        compliance.call(
            "PUT", "/api/v1/clusters/" + CLUSTER + "/compliance/features/antivirus", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(compliance.json(r).get("errors").get(0).get("field").asString())
        .isEqualTo("feature");
  }

  @Test
  void aScanOfAFeatureNotEnabledIsRefusedAndStartsNothing() throws Exception {
    HttpResponse<String> r =
        compliance.call(
            "POST", "/api/v1/clusters/" + CLUSTER + "/scans", "{\"kind\":\"configuration\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
    assertThat(compliance.json(r).get("type").asString()).endsWith("/feature-not-enabled");
    assertThat(history("configuration")).isEmpty();
  }

  @Test
  void malformedUnknownAndInvalidScanRequestsAreProblemsAndStartNothing() throws Exception {
    enable("sbom");
    String scans = "/api/v1/clusters/" + CLUSTER + "/scans";
    HttpResponse<String> malformed = compliance.call("POST", scans, "{\"kind\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = compliance.call("POST", scans, "{\"kind\":\"antivirus\"}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(compliance.json(unknown).get("detail").asString()).contains("antivirus");
    HttpResponse<String> invalid =
        compliance.call(
            "POST",
            scans,
            "{\"kind\":\"sbom\",\"options\":{\"format\":\"pdf\",\"scope\":\"pod\","
                + "\"namespace\":\"kube-system\",\"shell\":\"rm -rf /\"}}");
    assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
    List<String> fields = new java.util.ArrayList<>();
    for (JsonNode e : compliance.json(invalid).get("errors")) {
      fields.add(e.get("field").asString());
    }
    assertThat(fields).contains("options.format", "options.podName", "options.shell");
    HttpResponse<String> elsewhere =
        compliance.call(
            "POST", "/api/v1/clusters/" + UUID.randomUUID() + "/scans", "{\"kind\":\"sbom\"}");
    assertThat(elsewhere.statusCode()).isEqualTo(404);
    String big = "{\"kind\":\"sbom\",\"options\":{\"namespace\":\"" + "a".repeat(40_000) + "\"}}";
    HttpResponse<String> oversized = compliance.call("POST", scans, big);
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(history("sbom")).isEmpty();
  }

  @Test
  void onlyOperatorsStartScansAndOnlyTheGatewaysIdentityIsTaken() throws Exception {
    String scans = "/api/v1/clusters/" + CLUSTER + "/scans";
    HttpResponse<String> anonymous =
        compliance.call("POST", scans, "{\"kind\":\"sbom\"}", (Role) null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> viewer =
        compliance.call("POST", scans, "{\"kind\":\"sbom\"}", Role.VIEWER);
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(compliance.call("GET", scans, null, Role.VIEWER).statusCode()).isEqualTo(200);
  }

  @Test
  void aSecondScanOfAKindWhileOneRunsIsRefusedAndACancelledScanCannotBeCancelledAgain()
      throws Exception {
    enable("configuration-security");
    String scans = "/api/v1/clusters/" + CLUSTER + "/scans";
    HttpResponse<String> first = compliance.call("POST", scans, "{\"kind\":\"configuration\"}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
    JsonNode scan = compliance.json(first);
    assertThat(scan.get("state").asString()).isEqualTo("Initiated");
    assertThat(scan.get("progress").get("total").asInt()).isEqualTo(3);
    assertThat(first.headers().firstValue("Location"))
        .hasValue("/api/v1/scans/" + scan.get("id").asString());

    HttpResponse<String> second = compliance.call("POST", scans, "{\"kind\":\"configuration\"}");
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(compliance.json(second).get("type").asString()).endsWith("/scan-running");

    String cancel = "/api/v1/scans/" + scan.get("id").asString() + "/cancel";
    HttpResponse<String> cancelled = compliance.call("POST", cancel, null);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(compliance.json(cancelled).get("state").asString()).isEqualTo("Cancelled");
    HttpResponse<String> again = compliance.call("POST", cancel, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(compliance.json(again).get("type").asString()).endsWith("/scan-finished");
    assertThat(
            compliance
                .call("POST", "/api/v1/scans/" + UUID.randomUUID() + "/cancel", null)
                .statusCode())
        .isEqualTo(404);
  }

  private static List<JsonNode> history(String kind) throws Exception {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode s :
        compliance
            .json(
                compliance.call("GET", "/api/v1/clusters/" + CLUSTER + "/scans?kind=" + kind, null))
            .get("scans")) {
      out.add(s);
    }
    return out;
  }
}
