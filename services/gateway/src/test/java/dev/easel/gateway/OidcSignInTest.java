package dev.easel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.gateway.support.RunningGateway;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import java.net.CookieManager;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signing in through OIDC against a real Spring Authorization Server started here: the whole
 * authorization-code flow as a browser walks it, the provider's groups mapped to a role, and a user
 * whose groups map to nothing refused.
 */
class OidcSignInTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static ConfigurableApplicationContext provider;
  private static RunningGateway gateway;
  private static int providerPort;

  /** The provider: one client (the gateway), two users, and a groups claim in the ID token. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Provider {
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> groups() {
      return context -> {
        if ("id_token".equals(context.getTokenType().getValue())) {
          String user = context.getPrincipal().getName();
          context
              .getClaims()
              .claim("groups", user.equals("alice") ? List.of("platform-ops") : List.of("guests"))
              .claim("preferred_username", user);
        }
      };
    }

    @Bean
    org.springframework.security.core.userdetails.UserDetailsService users() {
      return new org.springframework.security.provisioning.InMemoryUserDetailsManager(
          org.springframework.security.core.userdetails.User.withUsername("alice")
              .password("{noop}alice-password")
              .roles("USER")
              .build(),
          org.springframework.security.core.userdetails.User.withUsername("mallory")
              .password("{noop}mallory-password")
              .roles("USER")
              .build());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    providerPort = freePort();
    int gatewayPort = freePort();
    Infrastructure infra = Infrastructure.get();
    TestDatabase providerDb = infra.newDatabase("oidc_provider");
    Map<String, Object> p = new HashMap<>(providerDb.springProperties());
    // Not the gateway's application.yml: the provider is a different application.
    p.put("spring.config.name", "oidc-provider");
    p.put("server.port", providerPort);
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.put(
        "spring.autoconfigure.exclude",
        "dev.easel.common.identity.GatewayIdentityAutoConfiguration,"
            + "dev.easel.common.config.EaselMessagingAutoConfiguration");
    p.put("spring.security.oauth2.authorizationserver.issuer", "http://localhost:" + providerPort);
    String c = "spring.security.oauth2.authorizationserver.client.gateway.";
    p.put(c + "registration.client-id", "easel-gateway");
    p.put(c + "registration.client-secret", "{noop}gateway-secret");
    p.put(c + "registration.client-authentication-methods", "client_secret_basic");
    p.put(c + "registration.authorization-grant-types", "authorization_code");
    p.put(
        c + "registration.redirect-uris",
        "http://127.0.0.1:" + gatewayPort + "/login/oauth2/code/easel");
    p.put(c + "registration.scopes", "openid,profile");
    p.put(c + "require-authorization-consent", "false");
    provider = new SpringApplicationBuilder(Provider.class).run(args(p));

    Map<String, String> g = new HashMap<>();
    g.put("server.port", Integer.toString(gatewayPort));
    String r = "spring.security.oauth2.client.registration.easel.";
    g.put(r + "client-id", "easel-gateway");
    g.put(r + "client-secret", "gateway-secret");
    g.put(r + "scope", "openid,profile");
    g.put(r + "authorization-grant-type", "authorization_code");
    g.put(r + "redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}");
    g.put(
        "spring.security.oauth2.client.provider.easel.issuer-uri",
        "http://localhost:" + providerPort);
    g.put("easel.gateway.oidc.role-mapping.platform-ops", "operator");
    gateway = RunningGateway.start("gateway_oidc", g);
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  private static String[] args(Map<String, Object> p) {
    return p.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A browser: cookies per host, following redirects across the two servers. */
  private static HttpResponse<String> signInThroughProvider(
      HttpClient browser, String user, String password) throws Exception {
    HttpResponse<String> loginPage =
        browser.send(
            HttpRequest.newBuilder(URI.create(gateway.base + "/oauth2/authorization/easel"))
                .header("Accept", "text/html,*/*;q=0.8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(loginPage.uri().toString())
        .startsWith("http://localhost:" + providerPort + "/login");
    Matcher csrf =
        Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
    assertThat(csrf.find()).as(loginPage.body()).isTrue();
    String form = "username=" + user + "&password=" + password + "&_csrf=" + csrf.group(1);
    return browser.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + providerPort + "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html,*/*;q=0.8")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.ALWAYS)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Test
  void anOperatorSignsInThroughTheProviderAndGetsTheRoleTheirGroupsMapTo() throws Exception {
    HttpClient browser = browser();
    HttpResponse<String> landed = signInThroughProvider(browser, "alice", "alice-password");
    assertThat(landed.statusCode()).as(landed.body()).isEqualTo(200);
    assertThat(landed.uri().toString()).isEqualTo(gateway.base + "/api/v1/session");
    JsonNode session = JSON.readTree(landed.body());
    assertThat(session.get("name").asString()).isEqualTo("alice");
    assertThat(session.get("role").asString()).isEqualTo("operator");
    assertThat(session.get("mustChangePassword").asBoolean()).isFalse();
    // The session works for the API like a password sign-in's.
    HttpResponse<String> tokens =
        browser.send(
            HttpRequest.newBuilder(URI.create(gateway.base + "/api/v1/tokens")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tokens.statusCode()).isEqualTo(403);
  }

  @Test
  void someoneWhoseGroupsMapToNoRoleIsRefused() throws Exception {
    HttpClient browser = browser();
    HttpResponse<String> landed = signInThroughProvider(browser, "mallory", "mallory-password");
    assertThat(landed.statusCode()).as(landed.uri() + " " + landed.body()).isEqualTo(401);
    assertThat(landed.body()).contains("oidc-sign-in-refused").contains("mallory");
    HttpResponse<String> session =
        browser.send(
            HttpRequest.newBuilder(URI.create(gateway.base + "/api/v1/session")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(session.statusCode()).isEqualTo(401);
  }
}
