package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.api.Role;
import dev.easel.nodes.application.port.NodeRecord;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Platform;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The node read API of the real service on real PostgreSQL and Kafka. */
class NodesApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ConfigurableApplicationContext app;
  private static String base;
  private static final List<UUID> ids = new ArrayList<>();

  @BeforeAll
  static void start() {
    app = RunningService.start("nodesapi", Map.of()).app;
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    // Seeded through the store, which keeps every label, user and derived, where selectors look.
    NodeStore store = app.getBean(NodeStore.class);
    // 0-4 ready, 5 unreachable, 6 reserved, 7 and 8 in a cluster, 9 decommissioned.
    for (int i = 0; i < 10; i++) {
      UUID id = UUID.randomUUID();
      ids.add(id);
      int cores = i < 4 ? 16 : 4;
      Node node =
          switch (i) {
            case 6 ->
                new Node(
                    Node.Lifecycle.RESERVED,
                    true,
                    new Node.Reservation("r1", "cluster-former"),
                    null);
            case 7, 8 ->
                new Node(
                    Node.Lifecycle.IN_CLUSTER,
                    true,
                    new Node.Reservation("r2", "cluster-former"),
                    "c1");
            case 9 -> new Node(Node.Lifecycle.DECOMMISSIONED, false, null, null);
            default -> new Node(Node.Lifecycle.FREE, i != 5, null, null);
          };
      Inventory inventory =
          new Inventory(
              "node-" + i,
              null,
              null,
              "amd64",
              "uefi",
              null,
              null,
              new Inventory.Cpu(null, null, cores),
              32L << 30,
              List.of(),
              List.of());
      store.insert(
          new NodeRecord(
              id,
              "machine-" + i,
              "node-" + i,
              node,
              Platform.BAREMETAL,
              Map.of("rack", "r" + (i % 2)),
              inventory,
              0),
          null,
          null,
          Instant.now());
    }
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void listsNodesMatchingASelectorWithUserAndDerivedLabels() throws Exception {
    JsonNode page = get("/api/v1/nodes?selector=" + enc("rack=r0,easel.dev/cores>=8")).body();
    List<String> hosts = new ArrayList<>();
    page.get("nodes").forEach(n -> hosts.add(n.get("hostname").asString()));
    assertThat(hosts).containsExactlyInAnyOrder("node-0", "node-2");
    assertThat(page.get("nodes").get(0).get("labels").get("easel.dev/platform").asString())
        .isEqualTo("baremetal");
  }

  @Test
  void servesItsOpenApiDocumentWithTheOperatorAndAgentRoutes() throws Exception {
    JsonNode doc = get("/v3/api-docs").body();
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    assertThat(doc.get("paths").propertyNames())
        .contains(
            "/api/v1/nodes",
            "/api/v1/nodes/summary",
            "/api/v1/nodes/{id}/labels",
            "/api/v1/registration-tokens",
            "/agent/v1/register",
            "/agent/v1/nodes/{id}/plans");
  }

  @Test
  void filtersByStateIncludingUnreachableAndReserved() throws Exception {
    assertThat(hosts(get("/api/v1/nodes?state=unreachable").body())).containsExactly("node-5");
    JsonNode reserved = get("/api/v1/nodes?state=reserved").body().get("nodes").get(0);
    assertThat(reserved.get("reservationId").asString()).isEqualTo("r1");
  }

  @Test
  void pagesThroughEveryNodeOnceWithCursorTokens() throws Exception {
    List<String> seen = new ArrayList<>();
    String token = null;
    do {
      JsonNode page =
          get("/api/v1/nodes?pageSize=3" + (token == null ? "" : "&pageToken=" + token)).body();
      seen.addAll(hosts(page));
      JsonNode next = page.get("nextPageToken");
      token = next == null || next.isNull() ? null : next.asString();
    } while (token != null);
    assertThat(seen).hasSize(ids.size()).doesNotHaveDuplicates();
  }

  @Test
  void summaryCountsEveryStateAndLeavesDecommissionedNodesOutOfTheTotal() throws Exception {
    HttpResponse<String> r = raw("/api/v1/nodes/summary", TestIdentity.bearer(Role.VIEWER));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode summary = JSON.readTree(r.body());
    Map<String, Long> byState = new LinkedHashMap<>();
    summary
        .get("byState")
        .properties()
        .forEach(e -> byState.put(e.getKey(), e.getValue().asLong()));
    assertThat(byState)
        .containsExactly(
            Map.entry("READY", 5L),
            Map.entry("UNREACHABLE", 1L),
            Map.entry("RESERVED", 1L),
            Map.entry("IN_CLUSTER", 2L),
            Map.entry("DECOMMISSIONED", 1L));
    assertThat(summary.get("total").asLong()).isEqualTo(9);
  }

  @Test
  void readsOneNodeWithItsVersionAsETag() throws Exception {
    HttpResponse<String> r = raw("/api/v1/nodes/" + ids.get(0));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("ETag")).contains("\"0\"");
  }

  @Test
  void badInputGetsAProblemResponse() throws Exception {
    assertProblem("/api/v1/nodes?selector=" + enc("rack in (r0"), 400, "invalid-selector");
    assertProblem("/api/v1/nodes?state=sleeping", 400, "invalid-state");
    assertProblem("/api/v1/nodes?pageSize=0", 400, "invalid-page-size");
    assertProblem("/api/v1/nodes?pageSize=100000", 400, "invalid-page-size");
    assertProblem("/api/v1/nodes?pageToken=garbage!", 400, "invalid-page-token");
    assertProblem("/api/v1/nodes/not-a-uuid", 400, "invalid-parameter");
    assertProblem("/api/v1/nodes/" + UUID.randomUUID(), 404, "not-found");
  }

  private static void assertProblem(String path, int status, String type) throws Exception {
    HttpResponse<String> r = raw(path);
    assertThat(r.statusCode()).as(path).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("type")).as(path + " answered " + r.body()).isNotNull();
    assertThat(body.get("type").asString()).isEqualTo("https://easel.dev/problems/" + type);
    assertThat(body.get("detail").asString()).isNotBlank();
  }

  private static List<String> hosts(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("nodes").forEach(n -> out.add(n.get("hostname").asString()));
    return out;
  }

  private record Json(int status, JsonNode body) {}

  private static Json get(String path) throws Exception {
    HttpResponse<String> r = raw(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new Json(r.statusCode(), JSON.readTree(r.body()));
  }

  private static HttpResponse<String> raw(String path) throws Exception {
    return raw(path, TestIdentity.bearer(Role.ADMIN));
  }

  private static HttpResponse<String> raw(String path, String authorization) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", authorization)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
