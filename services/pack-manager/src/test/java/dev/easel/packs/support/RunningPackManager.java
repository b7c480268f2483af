package dev.easel.packs.support;

import dev.easel.contracts.api.Role;
import dev.easel.packs.PackManagerApplication;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real pack-manager on a fresh database of the shared PostgreSQL and the shared broker, on a
 * free port, with its own spool directory and secret key.
 */
public final class RunningPackManager implements AutoCloseable {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final ConfigurableApplicationContext app;
  public final String base;
  public final Path spool;
  public final TestDatabase db;

  private RunningPackManager(ConfigurableApplicationContext app, Path spool, TestDatabase db) {
    this.app = app;
    this.spool = spool;
    this.db = db;
    this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  public static RunningPackManager start(String hint) {
    return start(hint, Map.of());
  }

  public static RunningPackManager start(String hint, Map<String, String> extra) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.packs.events", "easel.clusters.events");
    TestDatabase db = infra.newDatabase(hint);
    Path spool = Infrastructure.tempDir("pack-spool-" + hint);
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.put(
        "easel.packs.secret-key",
        Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B'));
    p.put("easel.packs.spool-dir", spool.toString());
    // The test registries listen on loopback.
    p.put("easel.packs.registries.allow-loopback", "true");
    p.put("easel.packs.registries.timeout", "20s");
    p.put("easel.packs.sync.poll", "200ms");
    p.put("easel.packs.uploads.retry-backoff", "50ms");
    p.putAll(TestIdentity.springProperties());
    p.putAll(extra);
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new RunningPackManager(
        new SpringApplicationBuilder(PackManagerApplication.class).run(args), spool, db);
  }

  /** One call as the gateway forwards an admin's; {@code body} may be null. */
  public HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, Map.of());
  }

  public HttpResponse<String> call(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::setHeader);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Uploads bytes as a bundle. */
  public HttpResponse<String> upload(String registryId, byte[] bundle, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/registries/" + registryId + "/bundles"))
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bundle));
    headers.forEach(b::setHeader);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  /** Adds a registry; answers its id. */
  public String addRegistry(String body) throws Exception {
    HttpResponse<String> r = call("POST", "/api/v1/registries", body);
    if (r.statusCode() != 201) {
      throw new IllegalStateException(r.statusCode() + " " + r.body());
    }
    return json(r).get("id").asString();
  }

  /** An external registry without credentials at {@code url}. */
  public String addPlainRegistry(String name, String url, String base) throws Exception {
    return addRegistry(
        "{\"name\":\""
            + name
            + "\",\"kind\":\"external\",\"endpoint\":\""
            + url
            + "\",\"baseContentPath\":\""
            + base
            + "\"}");
  }

  /** Waits for an upload to finish; answers its last state. */
  public JsonNode awaitUpload(String id) {
    return Awaitility.await("upload " + id)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> json(call("GET", "/api/v1/uploads/" + id, null)),
            u ->
                u.get("state").asString().equals("COMPLETED")
                    || u.get("state").asString().equals("FAILED"));
  }

  /** Waits for a sync requested now to finish; answers the registry's sync status. */
  public JsonNode syncNow(String registryId) throws Exception {
    // A sync already running may have listed the registry before the caller changed it.
    JsonNode before =
        Awaitility.await("no sync running of " + registryId)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> json(call("GET", "/api/v1/registries/" + registryId + "/sync", null)),
                s -> !s.get("state").asString().equals("RUNNING"));
    String startedBefore = before.path("finishedAt").asString("");
    HttpResponse<String> r = call("POST", "/api/v1/registries/" + registryId + "/sync", null);
    if (r.statusCode() != 202) {
      throw new IllegalStateException(r.body());
    }
    return Awaitility.await("a sync of " + registryId)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> json(call("GET", "/api/v1/registries/" + registryId + "/sync", null)),
            s -> {
              String finished = s.path("finishedAt").asString("");
              return !finished.isEmpty()
                  && !finished.equals(startedBefore)
                  && !s.get("state").asString().equals("RUNNING");
            });
  }

  public JdbcTemplate jdbc() {
    return new JdbcTemplate(db.dataSource());
  }

  /** Whether the spool holds any file. */
  public boolean spoolIsEmpty() throws Exception {
    try (Stream<Path> s = Files.walk(spool)) {
      return s.noneMatch(Files::isRegularFile);
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
