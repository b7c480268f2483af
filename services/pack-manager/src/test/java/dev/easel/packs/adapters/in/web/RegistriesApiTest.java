package dev.easel.packs.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.packs.RegistryHealthChanged;
import dev.easel.packs.support.RunningPackManager;
import dev.easel.testing.EventStream;
import dev.easel.testing.OciRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registries against real {@code docker-registry} processes: Basic auth over TLS from a private CA,
 * the Bearer token flow, and nothing listening; and the refusals of bad settings.
 */
class RegistriesApiTest {

  private static final ContractRegistry CONTRACTS = ContractRegistry.of(EaselContracts.ALL);
  private static final String PASSWORD = "s3cret-Registry-pw";

  private static RunningPackManager packs;
  private static OciRegistry tls;
  private static OciRegistry token;

  @BeforeAll
  static void start() {
    tls = OciRegistry.start(OciRegistry.Options.tlsBasicAuth("easel", PASSWORD));
    token = OciRegistry.start(OciRegistry.Options.tokenAuth("robot", PASSWORD));
    packs = RunningPackManager.start("registries");
  }

  @AfterAll
  static void stop() {
    if (packs != null) {
      packs.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (token != null) {
      token.close();
    }
  }

  private static String tlsRegistry(String name, String password, boolean withCa) {
    ObjectNode b = RunningPackManager.JSON.createObjectNode();
    b.put("name", name);
    b.put("kind", "external");
    b.put("endpoint", tls.baseUrl());
    b.put("baseContentPath", "spectro-content");
    b.put("username", "easel");
    b.put("password", password);
    if (withCa) {
      b.put("caCertificate", tls.caCertificatePem());
    }
    return b.toString();
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aRegistryWithBasicAuthOverAPrivateCaIsHealthyAndItsPasswordNeverComesBack()
      throws Exception {
    HttpResponse<String> r =
        packs.call("POST", "/api/v1/registries", tlsRegistry("private-ca", PASSWORD, true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).doesNotContain(PASSWORD);
    JsonNode body = packs.json(r);
    assertThat(body.get("passwordSet").asBoolean()).isTrue();
    assertThat(body.has("password")).isFalse();
    assertThat(body.get("health").get("state").asString()).isEqualTo("HEALTHY");
    assertThat(r.headers().firstValue("ETag")).hasValue("\"1\"");
    String id = body.get("id").asString();

    String listed = packs.call("GET", "/api/v1/registries", null).body();
    assertThat(listed).contains(id).doesNotContain(PASSWORD);
    byte[] sealed =
        packs
            .jdbc()
            .queryForObject(
                "SELECT password_sealed FROM registry WHERE id = ?::uuid", byte[].class, id);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
  }

  @Test
  void packsArePushedAndSyncedThroughBasicAuthOverTlsAndThroughTheTokenFlow() throws Exception {
    String viaTls = packs.addRegistry(tlsRegistry("push-over-tls", PASSWORD, true));
    String viaToken =
        packs.addRegistry(
            "{\"name\":\"push-with-token\",\"kind\":\"external\",\"endpoint\":\""
                + token.baseUrl()
                + "\",\"baseContentPath\":\"tokens\",\"username\":\"robot\",\"password\":\""
                + PASSWORD
                + "\"}");
    for (String id : List.of(viaTls, viaToken)) {
      HttpResponse<String> r =
          packs.upload(id, dev.easel.packs.support.TestBundles.packArchive("zot-0.1.67"), Map.of());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      JsonNode u = packs.awaitUpload(packs.json(r).get("id").asString());
      assertThat(u.get("state").asString()).as(u.toString()).isEqualTo("COMPLETED");
      assertThat(u.get("blobsPushed").asInt()).isEqualTo(2);
      // A sync through the same credentials finds the pack the upload catalogued, unchanged.
      JsonNode sync = packs.syncNow(id);
      assertThat(sync.get("state").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
      assertThat(sync.get("errors")).isEmpty();
      assertThat(sync.get("manifestsFetched").asInt()).isZero();
      assertThat(
              packs
                  .json(packs.call("GET", "/api/v1/packs?registry=" + id, null))
                  .get("items")
                  .get(0)
                  .get("name")
                  .asString())
          .isEqualTo("zot");
    }
  }

  @Test
  void aWrongPasswordIsUnauthorizedAndFixingItIsAnnouncedAsHealthy() throws Exception {
    try (EventStream events = EventStream.watch(CONTRACTS, "easel.packs.events")) {
      String id = packs.addRegistry(tlsRegistry("wrong-password", "not-it", true));
      JsonNode r = packs.json(packs.call("GET", "/api/v1/registries/" + id, null));
      assertThat(r.get("health").get("state").asString()).isEqualTo("UNAUTHORIZED");
      events
          .andWaitForEventOfType(RegistryHealthChanged.class)
          .matching(e -> e.registryId().toString().equals(id) && e.state().equals("UNAUTHORIZED"))
          .toArrive();

      HttpResponse<String> fixed =
          packs.call(
              "PATCH",
              "/api/v1/registries/" + id,
              "{\"password\":\"" + PASSWORD + "\"}",
              Map.of("If-Match", "\"1\""));
      assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(200);
      assertThat(packs.json(fixed).get("health").get("state").asString()).isEqualTo("HEALTHY");
      RegistryHealthChanged healthy =
          events
              .andWaitForEventOfType(RegistryHealthChanged.class)
              .matching(e -> e.registryId().toString().equals(id) && e.state().equals("HEALTHY"))
              .toArrive()
              .payload();
      assertThat(healthy.previous()).isEqualTo("UNAUTHORIZED");
    }
  }

  @Test
  void aPrivateCaThatIsNotGivenIsATlsError() throws Exception {
    String id = packs.addRegistry(tlsRegistry("no-ca", PASSWORD, false));
    JsonNode health = packs.json(packs.call("GET", "/api/v1/registries/" + id, null)).get("health");
    assertThat(health.get("state").asString()).isEqualTo("TLS_ERROR");
    assertThat(health.get("detail").asString()).isNotBlank();
  }

  @Test
  void theBearerTokenFlowIsFollowed() throws Exception {
    int before = token.tokenRequests();
    String id =
        packs.addRegistry(
            "{\"name\":\"token-flow\",\"kind\":\"external\",\"endpoint\":\""
                + token.baseUrl()
                + "\",\"username\":\"robot\",\"password\":\""
                + PASSWORD
                + "\"}");
    JsonNode health = packs.json(packs.call("GET", "/api/v1/registries/" + id, null)).get("health");
    assertThat(health.get("state").asString()).as(health.toString()).isEqualTo("HEALTHY");
    assertThat(token.tokenRequests()).isGreaterThan(before);
  }

  @Test
  void aRegistryWhereNothingListensIsUnreachable() throws Exception {
    String id =
        packs.addRegistry(
            "{\"name\":\"nobody-home\",\"kind\":\"external\",\"endpoint\":\"http://127.0.0.1:"
                + freePort()
                + "\"}");
    JsonNode health =
        packs.json(packs.call("POST", "/api/v1/registries/" + id + "/check", null)).get("health");
    assertThat(health.get("state").asString()).isEqualTo("UNREACHABLE");
  }

  @Test
  void linkLocalAndMetadataAddressesAreRefusedAndNothingIsStored() throws Exception {
    int before = packs.json(packs.call("GET", "/api/v1/registries", null)).size();
    for (String endpoint :
        List.of(
            "http://169.254.169.254",
            "https://metadata.google.internal",
            "https://[fe80::1]:5000",
            "http://100.100.100.200")) {
      HttpResponse<String> r =
          packs.call(
              "POST",
              "/api/v1/registries",
              "{\"name\":\"ssrf\",\"kind\":\"external\",\"endpoint\":\"" + endpoint + "\"}");
      assertThat(r.statusCode()).as(endpoint + " " + r.body()).isEqualTo(422);
      JsonNode p = packs.json(r);
      assertThat(p.get("type").asString()).endsWith("/invalid-registry");
      assertThat(p.get("errors").get(0).get("field").asString()).isEqualTo("endpoint");
      assertThat(p.get("errors").get(0).get("code").asString()).isEqualTo("forbidden-address");
    }
    assertThat(packs.json(packs.call("GET", "/api/v1/registries", null)).size()).isEqualTo(before);
  }

  @Test
  void everyProblemOfARegistryIsAnsweredAtOnce() throws Exception {
    HttpResponse<String> r =
        packs.call(
            "POST",
            "/api/v1/registries",
            "{\"name\":\"Bad Name\",\"kind\":\"elsewhere\",\"endpoint\":\"ftp://x/y\","
                + "\"baseContentPath\":\"UPPER/case\",\"password\":\"p\","
                + "\"syncIntervalSeconds\":5,\"caCertificate\":\"not pem\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    List<String> fields =
        packs.json(r).get("errors").valueStream().map(e -> e.get("field").asString()).toList();
    assertThat(fields)
        .contains(
            "name",
            "kind",
            "endpoint",
            "baseContentPath",
            "username",
            "caCertificate",
            "syncIntervalSeconds");
  }

  @Test
  void aTakenNameAndASecondInternalRegistryConflict() throws Exception {
    String body =
        "{\"name\":\"twice\",\"kind\":\"internal\",\"endpoint\":\"http://127.0.0.1:"
            + freePort()
            + "\"}";
    assertThat(packs.call("POST", "/api/v1/registries", body).statusCode()).isEqualTo(201);
    HttpResponse<String> again = packs.call("POST", "/api/v1/registries", body);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(packs.json(again).get("type").asString()).endsWith("/registry-exists");
    HttpResponse<String> second =
        packs.call("POST", "/api/v1/registries", body.replace("\"twice\"", "\"another-internal\""));
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(packs.json(second).get("detail").asString()).contains("internal registry");
  }

  @Test
  void aPatchOnAStaleRevisionIsRefusedAndChangesNothing() throws Exception {
    String id = packs.addRegistry(tlsRegistry("stale", PASSWORD, true));
    HttpResponse<String> r =
        packs.call(
            "PATCH",
            "/api/v1/registries/" + id,
            "{\"syncIntervalSeconds\":600}",
            Map.of("If-Match", "\"7\""));
    assertThat(r.statusCode()).isEqualTo(412);
    JsonNode now = packs.json(packs.call("GET", "/api/v1/registries/" + id, null));
    assertThat(now.get("syncIntervalSeconds").asInt()).isEqualTo(3600);
    assertThat(now.get("revision").asLong()).isEqualTo(1);
  }

  @Test
  void theKindOfARegistryNeverChanges() throws Exception {
    String id = packs.addRegistry(tlsRegistry("kind-stays", PASSWORD, true));
    HttpResponse<String> r =
        packs.call("PATCH", "/api/v1/registries/" + id, "{\"kind\":\"internal\"}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(packs.json(r).get("errors").get(0).get("code").asString()).isEqualTo("immutable");
  }

  @Test
  void malformedAndOversizedBodiesAreRefused() throws Exception {
    HttpResponse<String> malformed = packs.call("POST", "/api/v1/registries", "{\"name\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(packs.json(malformed).get("type").asString()).endsWith("/malformed-body");
    String huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}";
    HttpResponse<String> oversized = packs.call("POST", "/api/v1/registries", huge);
    assertThat(oversized.statusCode()).isEqualTo(413);
  }

  @Test
  void removingARegistryRemovesItAndAnUnknownOneIsNotFound() throws Exception {
    String id = packs.addRegistry(tlsRegistry("to-remove", PASSWORD, true));
    assertThat(packs.call("DELETE", "/api/v1/registries/" + id, null).statusCode()).isEqualTo(204);
    HttpResponse<String> gone = packs.call("GET", "/api/v1/registries/" + id, null);
    assertThat(gone.statusCode()).isEqualTo(404);
    assertThat(gone.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
  }
}
