package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.contracts.nodes.NodeLabelsChanged;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Relabelling, decommissioning and preflight of one node, on the real service. */
class OperatingNodesApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final long GB = 1_000_000_000L;
  private static ConfigurableApplicationContext app;
  private static String base;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    app = RunningService.start("operating", Map.of()).app;
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    token =
        JSON.readTree(
                send(
                        "POST",
                        "/api/v1/registration-tokens",
                        null,
                        "{\"name\":\"ops\",\"ttlSeconds\":600,\"maxUses\":100}")
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
  void labelsChangeOnlyWithTheCurrentETag() throws Exception {
    String id = register(16, 64L << 30, 400 * GB, 800 * GB);
    HttpResponse<String> read = send("GET", "/api/v1/nodes/" + id, null, null);
    String etag = read.headers().firstValue("ETag").orElseThrow();
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> ok =
          send("PATCH", "/api/v1/nodes/" + id + "/labels", etag, "{\"labels\":{\"rack\":\"r9\"}}");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      assertThat(JSON.readTree(ok.body()).get("labels").get("rack").asString()).isEqualTo("r9");
      assertThat(ok.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
      events
          .andWaitForEventOfType(NodeLabelsChanged.class)
          .matching(e -> e.nodeId().toString().equals(id) && "r9".equals(e.labels().get("rack")))
          .toArrive();
    }
    assertProblem(
        send("PATCH", "/api/v1/nodes/" + id + "/labels", etag, "{\"labels\":{\"rack\":\"r1\"}}"),
        412,
        "stale-version");
    assertProblem(
        send("PATCH", "/api/v1/nodes/" + id + "/labels", null, "{\"labels\":{\"rack\":\"r1\"}}"),
        428,
        "if-match-required");
    String current =
        send("GET", "/api/v1/nodes/" + id, null, null).headers().firstValue("ETag").orElseThrow();
    assertProblem(
        send(
            "PATCH",
            "/api/v1/nodes/" + id + "/labels",
            current,
            "{\"labels\":{\"easel.dev/cores\":\"128\"}}"),
        400,
        "invalid-labels");
    assertThat(
            JSON.readTree(send("GET", "/api/v1/nodes/" + id, null, null).body())
                .get("labels")
                .get("rack")
                .asString())
        .as("refused changes left the labels alone")
        .isEqualTo("r9");
  }

  @Test
  void aNodeCarriesAtMostSixtyFourUserLabelsAndOversizedPatchesAreRefusedUnread() throws Exception {
    String id = register(16, 64L << 30, 400 * GB, 800 * GB);
    StringBuilder labels = new StringBuilder("{\"labels\":{");
    for (int i = 0; i < 64; i++) {
      labels.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    String sixtyFour = labels + "}}";
    String etag =
        send("GET", "/api/v1/nodes/" + id, null, null).headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> ok = send("PATCH", "/api/v1/nodes/" + id + "/labels", etag, sixtyFour);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    String next = ok.headers().firstValue("ETag").orElseThrow();
    assertProblem(
        send("PATCH", "/api/v1/nodes/" + id + "/labels", next, "{\"labels\":{\"one-more\":\"v\"}}"),
        400,
        "invalid-labels");
    assertProblem(
        send(
            "PATCH",
            "/api/v1/nodes/" + id + "/labels",
            next,
            "{\"labels\":{\"k\":\"" + "x".repeat(70_000) + "\"}}"),
        413,
        "payload-too-large");
    List<String> userLabels = new ArrayList<>();
    JSON.readTree(send("GET", "/api/v1/nodes/" + id, null, null).body())
        .get("labels")
        .propertyNames()
        .forEach(
            k -> {
              if (!k.startsWith("easel.dev/")) {
                userLabels.add(k);
              }
            });
    assertThat(userLabels).as("the refused patches changed nothing").hasSize(64);
  }

  @Test
  void aFreeNodeIsDecommissionedOnceAndCannotRegisterAgain() throws Exception {
    String uuid = UUID.randomUUID().toString();
    String id = registerAs(uuid, 8, 16L << 30, 300 * GB, 500 * GB);
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> r = send("POST", "/api/v1/nodes/" + id + "/decommission", null, "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("state").asString()).isEqualTo("DECOMMISSIONED");
      events
          .andWaitForEventOfType(NodeDecommissioned.class)
          .matching(e -> e.nodeId().toString().equals(id))
          .toArrive();
    }
    assertThat(send("POST", "/api/v1/nodes/" + id + "/decommission", null, "").statusCode())
        .as("decommissioning twice changes nothing")
        .isEqualTo(200);
    assertProblem(
        send(
            "POST", "/agent/v1/register", token, inventory(uuid, 8, 16L << 30, 300 * GB, 500 * GB)),
        409,
        "node-decommissioned");
  }

  @Test
  void aReservedNodeCannotBeDecommissioned() throws Exception {
    String id = register(8, 16L << 30, 300 * GB, 500 * GB);
    app.getBean(JdbcTemplate.class)
        .update(
            "UPDATE nodes SET lifecycle = 'RESERVED', reservation_id = 'r1', reservation_owner = 'cf'"
                + " WHERE id = ?::uuid",
            id);
    assertProblem(
        send("POST", "/api/v1/nodes/" + id + "/decommission", null, ""), 409, "node-busy");
    assertThat(
            JSON.readTree(send("GET", "/api/v1/nodes/" + id, null, null).body())
                .get("state")
                .asString())
        .isEqualTo("RESERVED");
  }

  @Test
  void preflightReportsEveryCheckWithItsReason() throws Exception {
    String good = register(8, 16L << 30, 300 * GB, 500 * GB);
    JsonNode pass =
        JSON.readTree(send("GET", "/api/v1/nodes/" + good + "/preflight", null, null).body());
    assertThat(pass.get("passed").asBoolean()).isTrue();
    assertThat(pass.get("checks").size()).isEqualTo(6);

    String weak = register(4, 8L << 30, 1000 * GB, 0);
    JsonNode fail =
        JSON.readTree(send("GET", "/api/v1/nodes/" + weak + "/preflight", null, null).body());
    assertThat(fail.get("passed").asBoolean()).isFalse();
    assertThat(fail.toString()).contains("at least 8").contains("16 GiB").contains("second disk");
    assertProblem(
        send("GET", "/api/v1/nodes/" + UUID.randomUUID() + "/preflight", null, null),
        404,
        "not-found");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static String register(int threads, long memory, long disk1, long disk2)
      throws Exception {
    return registerAs(UUID.randomUUID().toString(), threads, memory, disk1, disk2);
  }

  private static String registerAs(String uuid, int threads, long memory, long disk1, long disk2)
      throws Exception {
    HttpResponse<String> r =
        send("POST", "/agent/v1/register", token, inventory(uuid, threads, memory, disk1, disk2));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("nodeId").asString();
  }

  private static String inventory(String uuid, int threads, long memory, long disk1, long disk2) {
    String disks =
        "{\"name\":\"sda\",\"sizeBytes\":"
            + disk1
            + "}"
            + (disk2 > 0 ? ",{\"name\":\"sdb\",\"sizeBytes\":" + disk2 + "}" : "");
    return "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\""
        + uuid
        + "\"},\"firmware\":\"uefi\","
        + "\"cpu\":{\"threads\":"
        + threads
        + "},\"memoryBytes\":"
        + memory
        + ",\"disks\":["
        + disks
        + "]}";
  }

  private static HttpResponse<String> send(String method, String path, String header, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    boolean labels = path.contains("/labels");
    if (header != null && labels) {
      b.header("If-Match", header);
    }
    String authorization = RunningService.authorization(path, labels ? null : header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("type")).as(r.body()).isNotNull();
    assertThat(body.get("type").asString()).isEqualTo("https://easel.dev/problems/" + type);
  }
}
