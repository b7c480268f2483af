package dev.easel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.gateway.OperatorRequestRecorded;
import dev.easel.gateway.support.Browser;
import dev.easel.gateway.support.RunningGateway;
import dev.easel.testing.EventStream;
import dev.easel.testing.RouteTableWalk;
import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The real gateway on the shared broker and its own database: the first admin, sessions with CSRF,
 * API tokens, the role of every route, sign-in backoff, and the operator trail. No service runs
 * behind it here, so a request that passes the gateway's checks answers 502.
 */
class GatewayAccessTest {

  private static final String NEW_ADMIN_PASSWORD = "correct horse battery staple";
  private static RunningGateway gateway;
  private static String bootstrapPassword;
  private static JsonNode firstSignIn;
  private static Browser.Answer beforeChange;
  private static Browser admin;
  private static final Map<Role, String> tokens = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() throws Exception {
    gateway =
        RunningGateway.start("gateway_access", Map.of("easel.gateway.sign-in.first-delay", "60s"));
    bootstrapPassword = Files.readString(gateway.passwordFile).trim();
    admin = new Browser(gateway.base);
    Browser.Answer signIn = admin.signIn("admin", bootstrapPassword);
    assertThat(signIn.status()).as(signIn.body()).isEqualTo(200);
    firstSignIn = signIn.json();
    beforeChange = admin.get("/api/v1/users");
    Browser.Answer changed =
        admin.send(
            "PUT",
            "/api/v1/session/password",
            "{\"currentPassword\":"
                + Browser.q(bootstrapPassword)
                + ",\"newPassword\":"
                + Browser.q(NEW_ADMIN_PASSWORD)
                + "}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    admin.rememberCsrf(changed.json());
    for (Role r : Role.values()) {
      Browser.Answer t =
          admin.send(
              "POST",
              "/api/v1/tokens",
              "{\"name\":\"walk-" + r.id() + "\",\"role\":\"" + r.id() + "\"}");
      assertThat(t.status()).as(t.body()).isEqualTo(201);
      tokens.put(r, t.json().get("secret").asString());
    }
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theFirstStartMakesAnAdminWhoseOneTimePasswordMustBeChangedFirst() {
    assertThat(bootstrapPassword).hasSizeGreaterThanOrEqualTo(20);
    assertThat(firstSignIn.get("role").asString()).isEqualTo("admin");
    assertThat(firstSignIn.get("mustChangePassword").asBoolean()).isTrue();
    assertThat(beforeChange.status()).isEqualTo(403);
    assertThat(beforeChange.json().get("type").asString()).endsWith("/password-change-required");
    assertThat(admin.get("/api/v1/users").status()).isEqualTo(200);
    // The one-time password is spent.
    assertThat(new Browser(gateway.base).signIn("admin", bootstrapPassword).status())
        .isEqualTo(401);
    assertThat(new Browser(gateway.base).signIn("admin", NEW_ADMIN_PASSWORD).status())
        .isEqualTo(200);
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrict() {
    Browser b = new Browser(gateway.base);
    Browser.Answer a = b.signIn("admin", NEW_ADMIN_PASSWORD);
    String cookie = a.header("Set-Cookie");
    assertThat(cookie)
        .startsWith("EASEL_SESSION=")
        .contains("HttpOnly")
        .contains("SameSite=Strict");
    assertThat(b.get("/api/v1/session").json().get("name").asString()).isEqualTo("admin");
    assertThat(b.send("DELETE", "/api/v1/session", null).status()).isEqualTo(204);
    assertThat(b.get("/api/v1/session").status()).isEqualTo(401);
  }

  @Test
  void aChangeFromASessionWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
    Browser b = new Browser(gateway.base);
    b.signIn("admin", NEW_ADMIN_PASSWORD);
    b.forgetCsrf();
    String body =
        "{\"name\":\"csrf-victim\",\"password\":\"a fine long password\",\"role\":\"viewer\"}";
    assertThat(b.send("POST", "/api/v1/users", body).status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/users").body()).doesNotContain("csrf-victim");
    assertThat(admin.send("POST", "/api/v1/users", body).status()).isEqualTo(201);
  }

  @Test
  void everyRouteRefusesNoCredentialsWith401AndALesserRoleWith403() throws Exception {
    List<String> wrong = RouteTableWalk.walk(gateway.base, tokens);
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void anApiTokenIsShownOnceStoredHashedAndStopsWorkingWhenRevoked() {
    Browser.Answer created =
        admin.send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"ci-bot\",\"role\":\"operator\",\"expiresInDays\":7}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Cache-Control")).contains("no-store");
    String secret = created.json().get("secret").asString();
    String id = created.json().get("id").asString();
    assertThat(admin.get("/api/v1/tokens").body()).contains("ci-bot").doesNotContain(secret);
    Integer plain =
        new JdbcTemplate(gateway.db.dataSource())
            .queryForObject(
                "SELECT count(*) FROM api_token WHERE position(convert_to(?, 'UTF8') in secret_hash) > 0",
                Integer.class,
                secret);
    assertThat(plain).isZero();
    Browser bot = Browser.withToken(gateway.base, secret);
    assertThat(bot.get("/api/v1/session").json().get("name").asString()).isEqualTo("token:ci-bot");
    assertThat(
            admin
                .send("POST", "/api/v1/tokens", "{\"name\":\"ci-bot\",\"role\":\"viewer\"}")
                .status())
        .isEqualTo(409);
    assertThat(admin.send("DELETE", "/api/v1/tokens/" + id, null).status()).isEqualTo(204);
    Awaitility.await("the revoked token refused")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> bot.get("/api/v1/session").status() == 401);
  }

  @Test
  void badTokenRequestsGetProblemsWithEveryFieldAndChangeNothing() {
    Browser.Answer bad =
        admin.send(
            "POST",
            "/api/v1/tokens",
            "{\"name\":\"Bad Name\",\"role\":\"root\",\"expiresInDays\":0}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
    assertThat(bad.body()).contains("\"name\"").contains("\"role\"").contains("\"expiresInDays\"");
    assertThat(admin.send("POST", "/api/v1/tokens", "{\"name\":").status()).isEqualTo(400);
    assertThat(admin.get("/api/v1/tokens").body()).doesNotContain("Bad Name");
  }

  @Test
  void repeatedFailedSignInsAreThrottledEvenWithTheRightPassword() {
    String password = "throttled user password";
    assertThat(
            admin
                .send(
                    "POST",
                    "/api/v1/users",
                    "{\"name\":\"throttled\",\"password\":"
                        + Browser.q(password)
                        + ",\"role\":\"viewer\"}")
                .status())
        .isEqualTo(201);
    Browser b = new Browser(gateway.base);
    for (int i = 0; i < 6; i++) {
      assertThat(b.signIn("throttled", "wrong password " + i).status()).isEqualTo(401);
    }
    Browser.Answer blocked = b.signIn("throttled", password);
    assertThat(blocked.status()).isEqualTo(429);
    assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(blocked.json().get("type").asString()).endsWith("/sign-in-throttled");
    // Others are not held up by one user's backoff.
    assertThat(new Browser(gateway.base).signIn("admin", NEW_ADMIN_PASSWORD).status())
        .isEqualTo(200);
  }

  @Test
  void manyFailuresFromOneAddressThrottleEveryUserSigningInFromIt() {
    JdbcTemplate jdbc = new JdbcTemplate(gateway.db.dataSource());
    jdbc.update("DELETE FROM login_failure WHERE kind = 'address'");
    try {
      Browser b = new Browser(gateway.base);
      for (int i = 0; i < 21; i++) {
        assertThat(b.signIn("nobody-" + i, "guess").status()).isEqualTo(401);
      }
      assertThat(new Browser(gateway.base).signIn("admin", NEW_ADMIN_PASSWORD).status())
          .isEqualTo(429);
    } finally {
      // The other tests sign in from the same address.
      jdbc.update("DELETE FROM login_failure WHERE kind = 'address'");
    }
  }

  @Test
  void refusedRequestsAndChangesGoOnTheOperatorTrailWithoutTheirBodies() {
    try (EventStream trail =
        EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.gateway.events")) {
      String secretish = "trail password never logged";
      Browser nobody = new Browser(gateway.base);
      assertThat(nobody.send("POST", "/api/v1/users", "{}").status()).isEqualTo(401);
      assertThat(
              admin
                  .send(
                      "POST",
                      "/api/v1/users",
                      "{\"name\":\"trailed\",\"password\":"
                          + Browser.q(secretish)
                          + ",\"role\":\"viewer\"}")
                  .status())
          .isEqualTo(201);
      trail
          .andWaitForEventOfType(OperatorRequestRecorded.class)
          .matching(
              e ->
                  e.status() == 401
                      && e.actor().equals("anonymous")
                      && e.route().equals("/api/v1/users")
                      && e.method().equals("POST"))
          .toArrive();
      var created =
          trail
              .andWaitForEventOfType(OperatorRequestRecorded.class)
              .matching(e -> e.status() == 201 && e.actor().equals("admin"))
              .toArrive();
      assertThat(created.payload().requestId()).isNotBlank();
      assertThat(created.payload().address()).isNotBlank();
      assertThat(created.headers().get("ce_actor")).isEqualTo("admin");
      trail.received().forEach(r -> assertThat(r.toString()).doesNotContain(secretish));
    }
  }

  @Test
  void theSigningKeysArePublishedWithoutTheirPrivateHalves() {
    JsonNode jwks = new Browser(gateway.base).get("/.well-known/jwks.json").json();
    JsonNode key = jwks.get("keys").get(0);
    assertThat(key.get("kty").asString()).isEqualTo("EC");
    assertThat(key.get("crv").asString()).isEqualTo("P-256");
    assertThat(key.has("d")).isFalse();
  }

  @Test
  void actuatorEndpointsOtherThanHealthNeedAnAdmin() {
    assertThat(new Browser(gateway.base).get("/actuator/health").status()).isEqualTo(200);
    assertThat(new Browser(gateway.base).get("/actuator/metrics").status()).isEqualTo(401);
    assertThat(
            Browser.withToken(gateway.base, tokens.get(Role.OPERATOR))
                .get("/actuator/metrics")
                .status())
        .isEqualTo(403);
    assertThat(
            Browser.withToken(gateway.base, tokens.get(Role.ADMIN))
                .get("/actuator/metrics")
                .status())
        .isEqualTo(200);
  }

  @Test
  void theMergedOpenApiDocumentShowsEachOperationsRoleAndNamesServicesThatDidNotAnswer() {
    Browser anyone = new Browser(gateway.base);
    Browser.Answer docs = anyone.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    JsonNode doc = docs.json();
    assertThat(doc.get("paths").get("/api/v1/users").get("post").get("x-easel-role").asString())
        .isEqualTo("admin");
    assertThat(doc.get("paths").get("/api/v1/session").has("post")).isTrue();
    assertThat(doc.get("x-easel-missing").toString()).contains("nodes").contains("clusters");
    Browser.Answer ui = anyone.get("/swagger-ui/index.html");
    assertThat(ui.status()).isEqualTo(200);
    assertThat(anyone.get("/docs").status()).isIn(200, 302);
  }

  @Test
  void anOversizedSignInIsRefusedBeforeAnythingIsRead() {
    String huge = "{\"username\":\"admin\",\"password\":\"" + "x".repeat(64 * 1024) + "\"}";
    Browser.Answer a = new Browser(gateway.base).send("POST", "/api/v1/session", huge);
    assertThat(a.status()).isEqualTo(413);
    assertThat(a.json().get("type").asString()).endsWith("/payload-too-large");
    Browser.Answer malformed =
        new Browser(gateway.base).send("POST", "/api/v1/session", "{\"username\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.header("Content-Type")).startsWith("application/problem+json");
  }
}
