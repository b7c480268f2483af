package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeInventoryChanged;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Heartbeats and liveness on the real service, with a 2 s window instead of 40 s. */
class LivenessApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static ConfigurableApplicationContext app;
  private static String base;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    app =
        RunningService.start(
                "liveness",
                Map.of(
                    "easel.nodes.unreachable-after", "2s", "easel.nodes.heartbeat-flush", "200ms"))
            .app;
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    token =
        JSON.readTree(
                post(
                        "/api/v1/registration-tokens",
                        null,
                        "{\"name\":\"live\",\"ttlSeconds\":600,\"maxUses\":100}")
                    .body())
            .get("token")
            .asString();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aNodeHeartbeatsOnlyForItselfWithItsOwnCredential() throws Exception {
    JsonNode a = registerNode();
    JsonNode b = registerNode();
    assertThat(
            heartbeat(a.get("nodeId").asString(), a.get("nodeCredential").asString()).statusCode())
        .isEqualTo(204);
    HttpResponse<String> other =
        heartbeat(a.get("nodeId").asString(), b.get("nodeCredential").asString());
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(other.body()).get("type").asString()).endsWith("/forbidden");
    HttpResponse<String> unknown = heartbeat(a.get("nodeId").asString(), "esl_nc_forged");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(heartbeat(a.get("nodeId").asString(), null).statusCode()).isEqualTo(401);
  }

  @Test
  void aSilentNodeBecomesUnreachableAndItsNextHeartbeatRecoversIt() throws Exception {
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      JsonNode n = registerNode();
      UUID id = UUID.fromString(n.get("nodeId").asString());
      events
          .andWaitForEventOfType(NodeBecameUnreachable.class)
          .matching(e -> e.nodeId().equals(id))
          .within(Duration.ofSeconds(15))
          .toArrive();
      assertThat(state(id)).isEqualTo("UNREACHABLE");

      events
          .stimulate(() -> heartbeatQuietly(id.toString(), n.get("nodeCredential").asString()))
          .andWaitForEventOfType(NodeRecovered.class)
          .matching(e -> e.nodeId().equals(id))
          .within(Duration.ofSeconds(15))
          .toArrive();
      assertThat(state(id)).isEqualTo("READY");
    }
  }

  @Test
  void aCredentialReplacedByReRegistrationHereIsRefusedAtOnce() throws Exception {
    String uuid = UUID.randomUUID().toString();
    String inventory = "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\"" + uuid + "\"},\"disks\":[]}";
    JsonNode first = JSON.readTree(post("/agent/v1/register", token, inventory).body());
    String id = first.get("nodeId").asString();
    assertThat(heartbeat(id, first.get("nodeCredential").asString()).statusCode()).isEqualTo(204);
    JsonNode again = JSON.readTree(post("/agent/v1/register", token, inventory).body());
    assertThat(again.get("nodeId").asString()).isEqualTo(id);
    assertThat(heartbeat(id, first.get("nodeCredential").asString()).statusCode())
        .as("the cached old credential was forgotten")
        .isEqualTo(401);
    assertThat(heartbeat(id, again.get("nodeCredential").asString()).statusCode()).isEqualTo(204);
  }

  @Test
  void aCredentialReplacedElsewhereKeepsNoNodeAliveAndIsRefusedAfterTheNextWrite()
      throws Exception {
    JsonNode n = registerNode();
    UUID id = UUID.fromString(n.get("nodeId").asString());
    String credential = n.get("nodeCredential").asString();
    assertThat(heartbeat(id.toString(), credential).statusCode()).isEqualTo(204); // now cached
    JdbcTemplate db = app.getBean(JdbcTemplate.class);
    // What another instance's re-registration does: a new credential hash, behind this cache.
    db.update(
        "UPDATE nodes SET credential_hash = ?, last_heartbeat_at = now() - interval '1 hour'"
            + " WHERE id = ?",
        new byte[] {1, 2, 3},
        id);
    assertThat(heartbeat(id.toString(), credential).statusCode())
        .as("the cache still answers")
        .isEqualTo(204);
    Thread.sleep(1_000); // two flushes
    assertThat(
            db.queryForObject(
                "SELECT last_heartbeat_at < now() - interval '30 minutes' FROM nodes WHERE id = ?",
                Boolean.class,
                id))
        .as("the stale credential's heartbeat was not written")
        .isTrue();
    assertThat(heartbeat(id.toString(), credential).statusCode()).isEqualTo(401);
  }

  @Test
  void anInventoryReportIsRecordedAndAnnouncedOnlyWhenItChanged() throws Exception {
    JsonNode n = registerNode();
    String id = n.get("nodeId").asString();
    String credential = n.get("nodeCredential").asString();
    String uuid =
        JSON.readTree(
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes/" + id))
                            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .get("inventory")
            .get("smbios")
            .get("uuid")
            .asString();
    String bigger =
        "{\"hostname\":\"h2\",\"smbios\":{\"uuid\":\""
            + uuid
            + "\"},\"cpu\":{\"threads\":32},\"disks\":[]}";
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      assertThat(put("/agent/v1/nodes/" + id + "/inventory", credential, bigger).statusCode())
          .isEqualTo(204);
      NodeInventoryChanged changed =
          events
              .andWaitForEventOfType(NodeInventoryChanged.class)
              .matching(e -> e.nodeId().toString().equals(id))
              .toArrive()
              .payload();
      assertThat(changed.derivedLabels()).containsEntry("easel.dev/cores", "32");
      assertThat(put("/agent/v1/nodes/" + id + "/inventory", credential, bigger).statusCode())
          .isEqualTo(204);
      events
          .andWaitForEventOfType(NodeInventoryChanged.class)
          .matching(e -> e.nodeId().toString().equals(id))
          .toArriveTimes(1);
      events
          .andWaitForEventOfType(NodeInventoryChanged.class)
          .matching(e -> e.nodeId().toString().equals(id) && !e.equals(changed))
          .toNotArriveWithin(Duration.ofMillis(1500));
    }
    String other = registerNode().get("nodeCredential").asString();
    assertThat(put("/agent/v1/nodes/" + id + "/inventory", other, bigger).statusCode())
        .isEqualTo(403);
    String anotherMachine =
        "{\"hostname\":\"x\",\"smbios\":{\"uuid\":\"" + UUID.randomUUID() + "\"}}";
    assertThat(put("/agent/v1/nodes/" + id + "/inventory", credential, anotherMachine).statusCode())
        .isEqualTo(409);
    assertThat(
            put(
                    "/agent/v1/nodes/" + id + "/inventory",
                    credential,
                    "{\"p\":\"" + "x".repeat(300_000) + "\"}")
                .statusCode())
        .isEqualTo(413);
  }

  @Test
  void anUnreachableNodeThatRegistersAgainIsRecoveredWithAnEvent() throws Exception {
    String uuid = UUID.randomUUID().toString();
    String inventory = "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\"" + uuid + "\"},\"disks\":[]}";
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> first = post("/agent/v1/register", token, inventory);
      UUID id = UUID.fromString(JSON.readTree(first.body()).get("nodeId").asString());
      events
          .andWaitForEventOfType(NodeBecameUnreachable.class)
          .matching(e -> e.nodeId().equals(id))
          .within(Duration.ofSeconds(15))
          .toArrive();
      assertThat(state(id)).isEqualTo("UNREACHABLE");
      // #8: the machine comes back by registering again (its agent restarted), not by a heartbeat
      assertThat(post("/agent/v1/register", token, inventory).statusCode()).isEqualTo(200);
      events
          .andWaitForEventOfType(NodeRecovered.class)
          .matching(e -> e.nodeId().equals(id))
          .toArrive();
      assertThat(state(id)).isEqualTo("READY");
    }
  }

  private static HttpResponse<String> put(String path, String bearer, String body)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + bearer)
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String state(UUID id) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/nodes/" + id))
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).get("state").asString();
  }

  private static JsonNode registerNode() throws Exception {
    String uuid = UUID.randomUUID().toString();
    String inventory = "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\"" + uuid + "\"},\"disks\":[]}";
    HttpResponse<String> r = post("/agent/v1/register", token, inventory);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void heartbeatQuietly(String id, String credential) {
    try {
      assertThat(heartbeat(id, credential).statusCode()).isEqualTo(204);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> heartbeat(String id, String credential) throws Exception {
    return post("/agent/v1/nodes/" + id + "/heartbeat", credential, "");
  }

  private static HttpResponse<String> post(String path, String bearer, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    String authorization = RunningService.authorization(path, bearer);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
