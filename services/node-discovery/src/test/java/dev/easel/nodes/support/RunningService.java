package dev.easel.nodes.support;

import dev.easel.contracts.api.Role;
import dev.easel.nodes.NodeDiscoveryApplication;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import dev.easel.testing.TestPlanKeys;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real node-discovery service on a fresh database of the shared PostgreSQL and the shared
 * broker, on a free port.
 */
public final class RunningService implements AutoCloseable {

  public final ConfigurableApplicationContext app;
  public final String base;
  private final String[] args;

  private RunningService(ConfigurableApplicationContext app, String[] args) {
    this.app = app;
    this.args = args;
    this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  public static RunningService start(String databaseHint, Map<String, String> extra) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events");
    TestDatabase db = infra.newDatabase(databaseHint);
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    // A fixed test key: plan step secrets are sealed with it.
    p.put("easel.nodes.secret-key", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    p.putAll(TestIdentity.springProperties());
    // Plan secrets arrive sealed to the test JVM's plan key (NodeCommands.sealed), as senders seal.
    p.putAll(TestPlanKeys.nodeDiscoveryProperties());
    // Artifacts in a directory of the test's own, not ./data/artifacts in the working tree.
    p.put("easel.nodes.artifacts.dir", artifactsDir(databaseHint));
    p.putAll(extra);
    // Arguments, not default properties: the service's application.yml must yield to them.
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new RunningService(
        new SpringApplicationBuilder(NodeDiscoveryApplication.class).run(args), args);
  }

  private static String artifactsDir(String hint) {
    try {
      return java.nio.file.Files.createTempDirectory("easel-artifacts-" + hint).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  /**
   * One HTTP call to this instance; {@code bearer} and {@code body} may be null. {@code bearer} is
   * an agent's token or credential; a call without one outside {@code /agent/v1} carries the
   * gateway's identity token, for the admin role.
   */
  public java.net.http.HttpResponse<String> call(
      String method, String path, String bearer, String body) throws Exception {
    return callWith(method, path, authorization(path, bearer), body);
  }

  /**
   * The {@code Authorization} header of a test call: the agent's own bearer when there is one, else
   * the gateway's identity token (admin) outside {@code /agent/v1}, else none.
   */
  public static String authorization(String path, String agentBearer) {
    if (agentBearer != null) {
      return "Bearer " + agentBearer;
    }
    return path.startsWith("/agent/") ? null : TestIdentity.bearer(Role.ADMIN);
  }

  /** One HTTP call with the given {@code Authorization} header value, or none when null. */
  public java.net.http.HttpResponse<String> callWith(
      String method, String path, String authorization, String body) throws Exception {
    java.net.http.HttpRequest.Builder b =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** A registration token good for 100 machines; answers its secret. */
  public String issueToken(String name) throws Exception {
    java.net.http.HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/registration-tokens",
            null,
            "{\"name\":\"" + name + "\",\"ttlSeconds\":600,\"maxUses\":100}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException(r.body());
    }
    return JSON.readTree(r.body()).get("token").asString();
  }

  /** Registers a new machine with a random SMBIOS UUID; answers the registration's JSON. */
  public tools.jackson.databind.JsonNode registerMachine(String token) throws Exception {
    String inventory =
        "{\"hostname\":\"h\",\"smbios\":{\"uuid\":\""
            + java.util.UUID.randomUUID()
            + "\"},\"disks\":[]}";
    java.net.http.HttpResponse<String> r = call("POST", "/agent/v1/register", token, inventory);
    if (r.statusCode() != 200) {
      throw new IllegalStateException(r.body());
    }
    return JSON.readTree(r.body());
  }

  private static final tools.jackson.databind.json.JsonMapper JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /** Closes this instance and starts a new one on the same database, as a restart does. */
  public RunningService restart() {
    close();
    return new RunningService(
        new SpringApplicationBuilder(NodeDiscoveryApplication.class).run(args), args);
  }

  @Override
  public void close() {
    app.close();
  }
}
