package dev.easel.packs.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.contracts.packs.ProfileVersionDeleted;
import dev.easel.packs.support.RunningPackManager;
import dev.easel.packs.support.TestBundles;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.OciRegistry;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Cluster profiles over the appliance's real packs, uploaded to a real registry: validation,
 * publishing with the bill of materials, immutability, resolution, export and import, and deletion
 * guarded by cluster-former's events.
 */
class ProfilesApiTest {

  private static final ContractRegistry CONTRACTS = ContractRegistry.of(EaselContracts.ALL);
  private static final Path APPLIANCE =
      Path.of("src", "main", "resources", "profiles", "easel-appliance-1.0.0.yaml");

  private static RunningPackManager packs;

  @BeforeAll
  static void start() throws Exception {
    packs = RunningPackManager.start("profiles");
    String base = "prof" + UUID.randomUUID().toString().substring(0, 6);
    String id = packs.addPlainRegistry(base, OciRegistry.shared().baseUrl(), base);
    for (String dir :
        List.of(
            "kairos-ubuntu-22.4.0",
            "pxk-e-1.32.3",
            "cni-calico-3.29.2",
            "csi-piraeus-2.8.1",
            "zot-0.1.67",
            "easel-third-party-1.0.0",
            "easel-third-party-conformance-1.0.0")) {
      JsonNode u =
          packs.awaitUpload(
              packs
                  .json(packs.upload(id, TestBundles.packArchive(dir), Map.of()))
                  .get("id")
                  .asString());
      assertThat(u.get("state").asString()).as(dir + ": " + u).isEqualTo("COMPLETED");
    }
  }

  @AfterAll
  static void stop() {
    if (packs != null) {
      packs.close();
    }
  }

  private static HttpResponse<String> importYaml(String yaml) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(packs.base + "/api/v1/profiles/import"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", TestIdentity.bearer(Role.OPERATOR))
                .POST(HttpRequest.BodyPublishers.ofString(yaml))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static String appliance(String name) throws Exception {
    return Files.readString(APPLIANCE).replace("name: easel-appliance", "name: " + name);
  }

  @Test
  void theApplianceProfileImportsPublishesWithItsBillOfMaterialsAndNeverChangesAgain()
      throws Exception {
    HttpResponse<String> imported = importYaml(appliance("appliance-a"));
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    assertThat(packs.json(imported).get("state").asString()).isEqualTo("DRAFT");
    String at = "/api/v1/profiles/appliance-a/versions/1.0.0";
    try (EventStream events = EventStream.watch(CONTRACTS, "easel.packs.events")) {
      HttpResponse<String> published = packs.call("POST", at + "/publish", null);
      assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
      assertThat(packs.json(published).get("state").asString()).isEqualTo("PUBLISHED");
      ProfilePublished e =
          events
              .andWaitForEventOfType(ProfilePublished.class)
              .matching(p -> p.name().equals("appliance-a"))
              .toArrive()
              .payload();
      assertThat(e.layers().stream().map(ProfilePublished.ResolvedLayer::name))
          .containsExactly("kairos-ubuntu", "pxk-e", "cni-calico", "csi-piraeus", "zot");
      assertThat(e.layers()).allSatisfy(l -> assertThat(l.digest()).startsWith("sha256:"));
      assertThat(e.layers().get(2).images()).isNotEmpty();
      // Variables stay placeholders until a cluster gives them values.
      assertThat(e.layers().get(1).values()).contains("{{.spectro.var.pod_cidr}}");
      assertThat(e.variables().stream().map(ProfilePublished.ProfileVariable::name))
          .contains("registry_password");
    }
    HttpResponse<String> change =
        packs.call("PUT", at, "{\"type\":\"full\",\"cloudType\":\"edge-native\",\"layers\":[]}");
    assertThat(change.statusCode()).isEqualTo(409);
    assertThat(packs.json(change).get("type").asString()).endsWith("/profile-published");
    assertThat(packs.call("POST", at + "/publish", null).statusCode()).isEqualTo(409);

    HttpResponse<String> next =
        packs.call(
            "POST",
            "/api/v1/profiles/appliance-a/versions",
            "{\"from\":\"1.0.0\",\"version\":\"1.1.0\",\"description\":\"next\"}");
    assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
    JsonNode versions =
        packs.json(packs.call("GET", "/api/v1/profiles/appliance-a/versions", null));
    assertThat(
            versions
                .valueStream()
                .map(v -> v.get("version").asString() + " " + v.get("state").asString()))
        .containsExactly("1.1.0 DRAFT", "1.0.0 PUBLISHED");
  }

  @Test
  void theResolvedBillSubstitutesVariablesAndRefusesAMissingRequiredOne() throws Exception {
    assertThat(importYaml(appliance("appliance-r")).statusCode()).isEqualTo(201);
    String at = "/api/v1/profiles/appliance-r/versions/1.0.0";
    assertThat(packs.call("POST", at + "/publish", null).statusCode()).isEqualTo(200);
    HttpResponse<String> missing = packs.call("GET", at + "/resolved", null);
    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(missing.body()).contains("registry_password");

    HttpResponse<String> r =
        packs.call(
            "POST",
            at + "/resolved",
            "{\"variables\":{\"registry_password\":\"pw-1\",\"pod_cidr\":\"10.10.0.0/16\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode bill = packs.json(r);
    String k8s = bill.get("layers").get(1).get("values").asString();
    assertThat(k8s).contains("10.10.0.0/16").doesNotContain("spectro.var.pod_cidr");
    assertThat(bill.get("variables").get("registry_password").asString()).isEqualTo("********");
    HttpResponse<String> wrong =
        packs.call("GET", at + "/resolved?var.registry_password=x&var.pod_cidr=not-a-cidr", null);
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(wrong.body()).contains("pod_cidr");
  }

  @Test
  void everyProblemOfAProfileIsAnsweredAtOnceWithItsField() throws Exception {
    String broken =
        "{\"name\":\"broken\",\"type\":\"infra\",\"cloudType\":\"edge-native\",\"version\":\"v1\",\"layers\":["
            + "{\"pack\":\"pxk-e\",\"version\":\"1.32.3\",\"values\":\"pack: [unclosed\"},"
            + "{\"pack\":\"kairos-ubuntu\",\"version\":\"22.4.0\"},"
            + "{\"pack\":\"cni-calico\",\"version\":\"9.9.9\"},"
            + "{\"pack\":\"zot\",\"version\":\"0.1.67\",\"values\":\"x: '{{.spectro.var.nowhere}}'\"}],"
            + "\"variables\":[{\"name\":\"flag\",\"format\":\"boolean\",\"defaultValue\":\"yes\"}]}";
    HttpResponse<String> dry = packs.call("POST", "/api/v1/profiles/validate", broken);
    assertThat(dry.statusCode()).isEqualTo(200);
    JsonNode v = packs.json(dry);
    assertThat(v.get("valid").asBoolean()).isFalse();
    List<String> fields =
        v.get("errors").valueStream().map(e -> e.get("field").asString()).toList();
    assertThat(fields)
        .contains(
            "version",
            "layers[0].values",
            "layers[2].pack",
            "layers[3].values.x",
            "variables[0].defaultValue");
    assertThat(v.get("errors").toString()).contains("nowhere").contains("9.9.9");

    HttpResponse<String> refused = packs.call("POST", "/api/v1/profiles", broken);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(packs.json(refused).get("errors").size()).isEqualTo(v.get("errors").size());
    assertThat(packs.call("GET", "/api/v1/profiles/broken/versions", null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void exportLeavesOutSensitiveDefaultsAndImportOfTheExportValidates() throws Exception {
    String yaml =
        appliance("appliance-x")
            .replace(
                "      sensitive: true\n",
                "      sensitive: true\n      defaultValue: hunter2-secret\n");
    assertThat(importYaml(yaml).statusCode()).isEqualTo(201);
    JsonNode shown =
        packs.json(packs.call("GET", "/api/v1/profiles/appliance-x/versions/1.0.0", null));
    assertThat(shown.toString()).doesNotContain("hunter2-secret").contains("********");
    HttpResponse<String> export =
        packs.call("GET", "/api/v1/profiles/appliance-x/versions/1.0.0/export", null);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.body()).contains("kind: ClusterProfile").doesNotContain("hunter2-secret");
    HttpResponse<String> again =
        importYaml(export.body().replace("name: appliance-x", "name: appliance-y"));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(importYaml(export.body()).statusCode()).isEqualTo(409);
    HttpResponse<String> garbage = importYaml("kind: [unclosed");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(packs.json(garbage).get("type").asString()).endsWith("/malformed-profile-document");
  }

  @Test
  void aVersionAClusterUsesIsNotDeletedUntilTheClusterLetsGo() throws Exception {
    assertThat(importYaml(appliance("appliance-d")).statusCode()).isEqualTo(201);
    String at = "/api/v1/profiles/appliance-d/versions/1.0.0";
    assertThat(packs.call("POST", at + "/publish", null).statusCode()).isEqualTo(200);
    UUID cluster = UUID.randomUUID();
    String body =
        "{\"clusterId\":\""
            + cluster
            + "\",\"profileName\":\"appliance-d\",\"profileVersion\":\"1.0.0\",\"at\":\""
            + Instant.now()
            + "\"}";
    try (KafkaProducer<String, byte[]> producer =
        KafkaClients.producer(Infrastructure.get().kafkaBootstrapServers())) {
      producer.send(
          KafkaClients.cloudEvent(
              "easel.clusters.events",
              cluster.toString(),
              UUID.randomUUID().toString(),
              "dev.easel.clusters.ClusterProfileAttached.v1",
              body,
              Map.of()));
      producer.flush();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> packs.json(packs.call("GET", at, null)).get("usedBy").size() == 1);
      HttpResponse<String> refused = packs.call("DELETE", at, null);
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(packs.json(refused).get("type").asString()).endsWith("/profile-in-use");

      producer.send(
          KafkaClients.cloudEvent(
              "easel.clusters.events",
              cluster.toString(),
              UUID.randomUUID().toString(),
              "dev.easel.clusters.ClusterProfileDetached.v1",
              body,
              Map.of()));
      producer.flush();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> packs.json(packs.call("GET", at, null)).get("usedBy").isEmpty());
    try (EventStream events = EventStream.watch(CONTRACTS, "easel.packs.events")) {
      assertThat(packs.call("DELETE", at, null).statusCode()).isEqualTo(204);
      assertThat(
              events
                  .andWaitForEventOfType(ProfileVersionDeleted.class)
                  .matching(e -> e.name().equals("appliance-d"))
                  .toArrive()
                  .payload()
                  .wasPublished())
          .isTrue();
    }
    assertThat(packs.call("GET", at, null).statusCode()).isEqualTo(404);
  }

  @Test
  void aDraftChangesOnlyAtTheRevisionItWasReadAt() throws Exception {
    assertThat(importYaml(appliance("appliance-e")).statusCode()).isEqualTo(201);
    String at = "/api/v1/profiles/appliance-e/versions/1.0.0";
    JsonNode draft = packs.json(packs.call("GET", at, null));
    String body =
        "{\"description\":\"changed\",\"type\":\"full\",\"cloudType\":\"edge-native\",\"layers\":"
            + draft.get("layers")
            + ",\"variables\":"
            + draft.get("variables")
            + "}";
    HttpResponse<String> stale = packs.call("PUT", at, body, Map.of("If-Match", "\"99\""));
    assertThat(stale.statusCode()).isEqualTo(412);
    HttpResponse<String> ok = packs.call("PUT", at, body, Map.of("If-Match", "\"1\""));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(packs.json(ok).get("description").asString()).isEqualTo("changed");
    assertThat(ok.headers().firstValue("ETag")).hasValue("\"2\"");
  }
}
