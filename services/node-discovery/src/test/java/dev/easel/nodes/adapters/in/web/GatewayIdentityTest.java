package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.common.identity.IdentityNotConfigured;
import dev.easel.contracts.CloudEventHeaders;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.nodes.NodeDiscoveryApplication;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.ReceivedEvent;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * node-discovery trusts only the gateway: its operators' API answers only the gateway's identity
 * token, checks the role of each route again, and names the token's subject as the actor of what a
 * request sets off. Agents keep their own channel.
 */
class GatewayIdentityTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static RunningService service;
  private static String registrationToken;

  @BeforeAll
  static void start() throws Exception {
    service = RunningService.start("identity", Map.of());
    registrationToken = service.issueToken("identity");
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void aCallWithoutATokenIsRefusedWithAProblemAndABearerChallenge() throws Exception {
    HttpResponse<String> r = service.callWith("GET", "/api/v1/nodes", null, null);
    assertProblem(r, 401, "unauthorized");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() throws Exception {
    HttpResponse<String> r =
        service.callWith(
            "GET",
            "/api/v1/nodes",
            TestIdentity.bearerSignedByAnotherKey("mallory", Role.ADMIN),
            null);
    assertProblem(r, 401, "unauthorized");
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer").contains("invalid_token"));
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    assertProblem(
        service.callWith(
            "GET", "/api/v1/nodes", TestIdentity.bearerExpired("alice", Role.ADMIN), null),
        401,
        "unauthorized");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    assertProblem(
        service.callWith(
            "GET",
            "/api/v1/nodes",
            TestIdentity.bearerForAudience("some-other-service", "alice", Role.ADMIN),
            null),
        401,
        "unauthorized");
  }

  @Test
  void aTokenWithoutAKnownRoleIsRefused() throws Exception {
    for (List<String> roles : List.of(List.<String>of(), List.of("root"))) {
      assertProblem(
          service.callWith(
              "GET", "/api/v1/nodes", TestIdentity.bearerWithRoles("alice", roles), null),
          401,
          "unauthorized");
    }
  }

  @Test
  void aViewerReadsNodesButMayNotDecommissionOne() throws Exception {
    UUID node = registerMachine();
    String viewer = TestIdentity.bearer("vera", Role.VIEWER);
    assertThat(service.callWith("GET", "/api/v1/nodes", viewer, null).statusCode()).isEqualTo(200);
    assertThat(service.callWith("GET", "/api/v1/nodes/" + node, viewer, null).statusCode())
        .isEqualTo(200);

    HttpResponse<String> refused =
        service.callWith("POST", "/api/v1/nodes/" + node + "/decommission", viewer, "");
    assertProblem(refused, 403, "forbidden");
    assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("operator");
    assertThat(
            JSON.readTree(service.callWith("GET", "/api/v1/nodes/" + node, viewer, null).body())
                .get("state")
                .asString())
        .as("nothing changed")
        .isEqualToIgnoringCase("ready");
  }

  @Test
  void registrationTokensNeedAnAdminAndAnAdminHasEveryLesserRole() throws Exception {
    String body = "{\"name\":\"roles\",\"ttlSeconds\":60,\"maxUses\":1}";
    assertProblem(
        service.callWith(
            "POST", "/api/v1/registration-tokens", TestIdentity.bearer(Role.OPERATOR), body),
        403,
        "forbidden");
    assertProblem(
        service.callWith(
            "GET", "/api/v1/registration-tokens", TestIdentity.bearer(Role.VIEWER), null),
        403,
        "forbidden");
    assertThat(
            service
                .callWith(
                    "POST", "/api/v1/registration-tokens", TestIdentity.bearer(Role.ADMIN), body)
                .statusCode())
        .isEqualTo(201);
    assertThat(
            service
                .callWith("GET", "/api/v1/nodes", TestIdentity.bearer(Role.ADMIN), null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aRouteMissingFromTheRouteTableIsRefusedEvenToAnAdmin() throws Exception {
    String admin = TestIdentity.bearer(Role.ADMIN);
    assertProblem(
        service.callWith("DELETE", "/api/v1/nodes/" + UUID.randomUUID(), admin, null),
        403,
        "forbidden");
    assertProblem(service.callWith("GET", "/api/v1/clusters", admin, null), 403, "forbidden");
    assertProblem(service.callWith("GET", "/somewhere-else", admin, null), 403, "forbidden");
    assertProblem(
        service.callWith("GET", "/.well-known/oauth-protected-resource", null, null),
        401,
        "unauthorized");
  }

  @Test
  void healthAndTheApiDocumentAreOpenAndTheRestOfTheActuatorNeedsAnAdmin() throws Exception {
    assertThat(service.callWith("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    assertThat(service.callWith("GET", "/actuator/health/liveness", null, null).statusCode())
        .isEqualTo(200);
    assertThat(service.callWith("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);

    assertProblem(service.callWith("GET", "/actuator/env", null, null), 401, "unauthorized");
    assertProblem(service.callWith("GET", "/actuator/metrics", null, null), 401, "unauthorized");
    assertProblem(
        service.callWith("GET", "/actuator/metrics", TestIdentity.bearer(Role.OPERATOR), null),
        403,
        "forbidden");
    assertThat(
            service
                .callWith("GET", "/actuator/metrics", TestIdentity.bearer(Role.ADMIN), null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void agentsRegisterWithTheirOwnTokenAndNoGatewayToken() throws Exception {
    String inventory =
        "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\"" + UUID.randomUUID() + "\"},\"disks\":[]}";
    HttpResponse<String> registered =
        service.callWith("POST", "/agent/v1/register", "Bearer " + registrationToken, inventory);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

    HttpResponse<String> unknown =
        service.callWith("POST", "/agent/v1/register", "Bearer esl_rt_unknown", inventory);
    assertProblem(unknown, 401, "unauthorized");
    assertThat(JSON.readTree(unknown.body()).get("detail").asString())
        .as("refused by node-discovery's own check of agents, not by the gateway's")
        .contains("unknown");
  }

  @Test
  void anEventSetOffByARequestCarriesTheTokensSubjectAsItsActor() throws Exception {
    UUID node = registerMachine();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      HttpResponse<String> r =
          service.callWith(
              "POST",
              "/api/v1/nodes/" + node + "/decommission",
              TestIdentity.bearer("token:ci-bot", Role.OPERATOR),
              "");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      ReceivedEvent<NodeDecommissioned> event =
          stream
              .andWaitForEventOfType(NodeDecommissioned.class)
              .matching(e -> e.nodeId().equals(node))
              .toArrive();
      assertThat(event.header(CloudEventHeaders.ACTOR)).isEqualTo("token:ci-bot");
    }
  }

  @Test
  void aServiceWithoutTheGatewaysKeysDoesNotStart() {
    Infrastructure infra = Infrastructure.get();
    TestDatabase db = infra.newDatabase("nokeys");
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    assertThatThrownBy(() -> new SpringApplicationBuilder(NodeDiscoveryApplication.class).run(args))
        .hasRootCauseInstanceOf(IdentityNotConfigured.class)
        .rootCause()
        .hasMessageContaining("easel.identity.jwks-uri is not set");
  }

  private static UUID registerMachine() throws Exception {
    return UUID.fromString(service.registerMachine(registrationToken).get("nodeId").asString());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("type").asString()).isEqualTo("https://easel.dev/problems/" + type);
    assertThat(body.get("title").asString()).isNotBlank();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("detail").asString()).isNotBlank();
    assertThat(body.get("instance")).isNotNull();
  }
}
