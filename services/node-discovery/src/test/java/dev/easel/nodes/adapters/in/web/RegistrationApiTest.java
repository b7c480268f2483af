package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.nodes.NodeFacts;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Registration tokens and agent registration on the real service, PostgreSQL and Kafka. */
class RegistrationApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static ConfigurableApplicationContext app;
  private static String base;
  private static JdbcTemplate jdbc;

  @BeforeAll
  static void start() {
    app = RunningService.start("registration", Map.of()).app;
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    jdbc = app.getBean(JdbcTemplate.class);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aMachineRegistersWithATokenAndAppearsWithTheTokensLabelsAndAnEvent() throws Exception {
    String token = createToken("rack-a", 600, 5, "{\"rack\":\"a\"}");
    String uuid = UUID.randomUUID().toString();
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> r = register(token, inventory(uuid, "m-" + uuid));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.body());
      String nodeId = body.get("nodeId").asString();
      assertThat(body.get("nodeCredential").asString()).startsWith("esl_nc_");
      assertThat(body.get("heartbeatIntervalSeconds").asInt()).isEqualTo(10);
      NodeRegistered e =
          events
              .andWaitForEventOfType(NodeRegistered.class)
              .matching(n -> n.nodeId().toString().equals(nodeId))
              .toArrive()
              .payload();
      assertThat(e.labels())
          .containsEntry("rack", "a")
          .containsEntry("easel.dev/platform", "vsphere");
      assertThat(e.reregistered()).isFalse();
      JsonNode node = JSON.readTree(get("/api/v1/nodes/" + nodeId).body());
      assertThat(node.get("state").asString()).isEqualTo("READY");
      assertThat(node.get("labels").get("rack").asString()).isEqualTo("a");
    }
  }

  @Test
  void theRegistrationEventCarriesTheMachinesDisksAddressesAndPreflight() throws Exception {
    String token = createToken("facts", 600, 5, "{}");
    String uuid = UUID.randomUUID().toString();
    String inventory =
        "{\"hostname\":\"facts-1\",\"smbios\":{\"vendor\":\"VMware, Inc.\",\"uuid\":\""
            + uuid
            + "\"},\"architecture\":\"amd64\",\"firmware\":\"uefi\",\"cpu\":{\"threads\":8},"
            + "\"memoryBytes\":17179869184,"
            + "\"disks\":[{\"name\":\"sda\",\"sizeBytes\":480000000000,\"serial\":\"OS1\"},"
            + "{\"name\":\"sdb\",\"sizeBytes\":1000000000000,\"serial\":\"POOL1\"}],"
            + "\"nics\":[{\"name\":\"eth0\",\"ips\":[\"10.1.2.3/24\",\"fe80::1/64\"]}]}";
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> r = register(token, inventory);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      String nodeId = JSON.readTree(r.body()).get("nodeId").asString();
      NodeFacts facts =
          events
              .andWaitForEventOfType(NodeRegistered.class)
              .matching(n -> n.nodeId().toString().equals(nodeId))
              .toArrive()
              .payload()
              .facts();
      assertThat(facts.platform()).isEqualTo("vsphere");
      assertThat(facts.cpus()).isEqualTo(8);
      assertThat(facts.disks())
          .containsExactly(
              new NodeFacts.Disk("/dev/sda", 480_000_000_000L, true, "OS1"),
              new NodeFacts.Disk("/dev/sdb", 1_000_000_000_000L, false, "POOL1"));
      assertThat(facts.addresses()).containsExactly("10.1.2.3/24", "fe80::1/64");
      JsonNode preflight = JSON.readTree(get("/api/v1/nodes/" + nodeId + "/preflight").body());
      assertThat(facts.preflightPassed()).isEqualTo(preflight.get("passed").asBoolean());
      assertThat(facts.preflightFailures().isEmpty()).isEqualTo(facts.preflightPassed());
    }
  }

  @Test
  void registeringAgainKeepsTheNodeIdAndIssuesAFreshCredential() throws Exception {
    String token = createToken("again", 600, 5, "{}");
    String uuid = UUID.randomUUID().toString();
    JsonNode first = JSON.readTree(register(token, inventory(uuid, "m1")).body());
    JsonNode second = JSON.readTree(register(token, inventory(uuid.toUpperCase(), "m2")).body());
    assertThat(second.get("nodeId").asString()).isEqualTo(first.get("nodeId").asString());
    assertThat(second.get("nodeCredential").asString())
        .isNotEqualTo(first.get("nodeCredential").asString());
  }

  @Test
  void theSecretIsShownOnceAndListedTokensCarryNone() throws Exception {
    createToken("listed", 600, 1, "{}");
    String listed = get("/api/v1/registration-tokens").body();
    assertThat(listed).contains("listed").doesNotContain("esl_rt_");
  }

  @Test
  void unknownExpiredRevokedAndUsedUpTokensAreRefusedAndChangeNothing() throws Exception {
    int before = nodeCount();
    assertRefused(
        register("esl_rt_nonsense", inventory(UUID.randomUUID().toString(), "x")), 401, "unknown");
    assertRefused(register(null, inventory(UUID.randomUUID().toString(), "x")), 401, "required");

    String once = createToken("once", 600, 1, "{}");
    assertThat(register(once, inventory(UUID.randomUUID().toString(), "x")).statusCode())
        .isEqualTo(200);
    before++;
    assertRefused(register(once, inventory(UUID.randomUUID().toString(), "x")), 401, "used up");

    String expired = createToken("short", 600, 5, "{}");
    jdbc.update(
        "UPDATE registration_tokens SET expires_at = now() - interval '1 second' WHERE name = 'short'");
    assertRefused(register(expired, inventory(UUID.randomUUID().toString(), "x")), 401, "expired");

    JsonNode revokedToken =
        JSON.readTree(
            post(
                    "/api/v1/registration-tokens",
                    "{\"name\":\"revoked\",\"ttlSeconds\":600,\"maxUses\":5}")
                .body());
    HttpResponse<String> revoke =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "/api/v1/registration-tokens/" + revokedToken.get("id").asString()))
                .DELETE()
                .build());
    assertThat(revoke.statusCode()).isEqualTo(204);
    assertRefused(
        register(
            revokedToken.get("token").asString(), inventory(UUID.randomUUID().toString(), "x")),
        401,
        "revoked");
    assertThat(nodeCount()).isEqualTo(before);
  }

  @Test
  void racingRegistrationsUseATokenNoMoreThanItsLimitAndTheRefusedOnesLeaveNoNode()
      throws Exception {
    String token =
        JSON.readTree(
                post(
                        "/api/v1/registration-tokens",
                        "{\"name\":\"race\",\"ttlSeconds\":600,\"maxUses\":3}")
                    .body())
            .get("token")
            .asString();
    int before = nodeCount();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(12);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String body =
            inventory(UUID.randomUUID().toString(), UUID.randomUUID().toString().replace("-", ""));
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return register(token, body).statusCode();
                }));
      }
      go.countDown();
      java.util.List<Integer> codes = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> a : answers) {
        codes.add(a.get());
      }
      assertThat(codes).filteredOn(c -> c == 200).hasSize(3);
      assertThat(codes).filteredOn(c -> c == 401).hasSize(9);
    } finally {
      pool.shutdownNow();
    }
    assertThat(nodeCount() - before).as("refused registrations were rolled back").isEqualTo(3);
    assertThat(
            jdbc.queryForObject(
                "SELECT uses FROM registration_tokens WHERE name = 'race'", Integer.class))
        .isEqualTo(3);
  }

  @Test
  void malformedOversizedOrAnonymousInventoriesAreRefusedAndChangeNothing() throws Exception {
    String token = createToken("bad-input", 600, 100, "{}");
    int before = nodeCount();
    assertProblem(register(token, "{not json"), 400, "invalid-inventory");
    assertProblem(
        register(token, "{\"hostname\":\"x\",\"padding\":\"" + "x".repeat(300_000) + "\"}"),
        413,
        "inventory-too-large");
    assertProblem(register(token, "{\"hostname\":\"anonymous\"}"), 400, "machine-identity-missing");
    assertThat(nodeCount()).isEqualTo(before);
    assertThat(
            jdbc.queryForObject(
                "SELECT uses FROM registration_tokens WHERE name = 'bad-input'", Integer.class))
        .as("a refused registration does not use the token up")
        .isZero();
  }

  @Test
  void aBogusTokenIsRefusedBeforeItsBodyIsReadOrChecked() throws Exception {
    // An inventory with no machine identity would get 400; without a valid token it never gets
    // that far, so an anonymous caller learns nothing of how bodies are checked.
    assertRefused(register("esl_rt_bogus", "{\"hostname\":\"anonymous\"}"), 401, "unknown");
    assertRefused(register("esl_rt_bogus", "{not json"), 401, "unknown");
    assertRefused(register(null, "{not json"), 401, "required");
  }

  @Test
  void aTokenCarriesAtMostSixtyFourLabelsOfKubernetesShape() throws Exception {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    many.append("}");
    assertProblem(
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\"many\",\"ttlSeconds\":60,\"maxUses\":1,\"labels\":" + many + "}"),
        400,
        "invalid-token");
    assertProblem(
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\"long\",\"ttlSeconds\":60,\"maxUses\":1,\"labels\":{\"k\":\""
                + "v".repeat(64)
                + "\"}}"),
        400,
        "invalid-token");
    assertProblem(
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\"prefix\",\"ttlSeconds\":60,\"maxUses\":1,\"labels\":{\""
                + "a".repeat(254)
                + "/k\":\"v\"}}"),
        400,
        "invalid-token");
  }

  @Test
  void theSameIdempotencyKeyAndBodyGiveTheSameTokenOnceAndAnotherBodyIsRefused() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = "{\"name\":\"idem\",\"ttlSeconds\":600,\"maxUses\":3,\"labels\":{\"a\":\"1\"}}";
    HttpResponse<String> first = postWithKey(key, body);
    HttpResponse<String> again = postWithKey(key, body);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    JsonNode a = JSON.readTree(first.body());
    JsonNode b = JSON.readTree(again.body());
    assertThat(b.get("id").asString()).isEqualTo(a.get("id").asString());
    assertThat(a.get("token").asString()).startsWith("esl_rt_");
    assertThat(b.get("token").isNull()).as("the secret is shown only once").isTrue();
    assertProblem(
        postWithKey(key, body.replace("\"maxUses\":3", "\"maxUses\":4")),
        422,
        "idempotency-key-reused");
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM registration_tokens WHERE name = 'idem'", Integer.class))
        .isEqualTo(1);
  }

  private static HttpResponse<String> postWithKey(String key, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + "/api/v1/registration-tokens"))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void invalidTokenRequestsGetProblems() throws Exception {
    assertProblem(
        post("/api/v1/registration-tokens", "{\"name\":\"\",\"ttlSeconds\":60,\"maxUses\":1}"),
        400,
        "invalid-token");
    assertProblem(
        post("/api/v1/registration-tokens", "{\"name\":\"x\",\"ttlSeconds\":0,\"maxUses\":1}"),
        400,
        "invalid-token");
    assertProblem(
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\"x\",\"ttlSeconds\":60,\"maxUses\":1,\"labels\":{\"easel.dev/cores\":\"64\"}}"),
        400,
        "invalid-token");
    assertProblem(post("/api/v1/registration-tokens", "[1,2"), 400, "malformed-body");
    assertProblem(
        send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/registration-tokens/" + UUID.randomUUID()))
                .DELETE()
                .build()),
        404,
        "not-found");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static String createToken(String name, int ttl, int uses, String labels)
      throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\""
                + name
                + "\",\"ttlSeconds\":"
                + ttl
                + ",\"maxUses\":"
                + uses
                + ",\"labels\":"
                + labels
                + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location")).isPresent();
    return JSON.readTree(r.body()).get("token").asString();
  }

  private static String inventory(String smbiosUuid, String machineId) {
    return "{\"hostname\":\"h-"
        + machineId
        + "\",\"machineId\":\""
        + machineId
        + "\","
        + "\"smbios\":{\"vendor\":\"VMware, Inc.\",\"uuid\":\""
        + smbiosUuid
        + "\"},"
        + "\"architecture\":\"amd64\",\"firmware\":\"uefi\",\"cpu\":{\"threads\":8},"
        + "\"memoryBytes\":17179869184,\"disks\":[],\"nics\":[]}";
  }

  private static HttpResponse<String> register(String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/agent/v1/register"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  /** Sends a request; one to the operators' API goes as the gateway forwards it, for an admin. */
  private static HttpResponse<String> send(HttpRequest r) throws Exception {
    if (r.uri().getPath().startsWith("/api/")) {
      r =
          HttpRequest.newBuilder(r, (name, value) -> true)
              .header("Authorization", TestIdentity.bearer(Role.ADMIN))
              .build();
    }
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static int nodeCount() {
    return jdbc.queryForObject("SELECT count(*) FROM nodes", Integer.class);
  }

  private static void assertRefused(HttpResponse<String> r, int status, String detail)
      throws Exception {
    assertProblem(r, status, "unauthorized");
    assertThat(JSON.readTree(r.body()).get("detail").asString()).contains(detail);
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("type")).as(r.body()).isNotNull();
    assertThat(body.get("type").asString()).isEqualTo("https://easel.dev/problems/" + type);
  }
}
