package dev.easel.compliance.support;

import dev.easel.compliance.ComplianceApplication;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import dev.easel.testing.TestPlanKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real compliance service on a fresh database of the shared PostgreSQL and the shared broker,
 * on a free port. pack-manager's and cluster-former's events are sent to topics of its own, as
 * those services send them; node-discovery's come from wherever the test says.
 */
public final class RunningCompliance implements AutoCloseable {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry CONTRACTS = ContractRegistry.withShipped(List.of());
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Seals backup location credentials; one per test JVM, so a restart can open them. */
  private static final String SECRET_KEY = newKey();

  private static String newKey() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }

  public final ConfigurableApplicationContext app;
  public final String base;
  public final TestDatabase db;
  private final String hint;
  private final KafkaProducer<String, byte[]> producer;

  private RunningCompliance(ConfigurableApplicationContext app, TestDatabase db, String hint) {
    this.app = app;
    this.db = db;
    this.hint = hint;
    this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    this.producer = KafkaClients.producer(Infrastructure.get().kafkaBootstrapServers());
  }

  /**
   * Starts compliance reading pack and cluster events from topics named after {@code hint}, and
   * node-discovery's from {@code nodes}.
   */
  public static RunningCompliance start(String hint, String nodes, Map<String, String> extra) {
    return start(hint, nodes, Infrastructure.get().newDatabase(hint), extra);
  }

  /** Starts it again on a database it used before: a restart. */
  public static RunningCompliance start(
      String hint, String nodes, TestDatabase db, Map<String, String> extra) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(
        3,
        nodes,
        packTopic(hint),
        clusterTopic(hint),
        "easel.compliance.events",
        "easel.compliance.replies",
        "easel.nodes.commands");
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.put("spring.cloud.stream.bindings.nodeEvents-in-0.destination", nodes);
    p.put("spring.cloud.stream.bindings.packEvents-in-0.destination", packTopic(hint));
    p.put("spring.cloud.stream.bindings.clusterEvents-in-0.destination", clusterTopic(hint));
    p.put("easel.compliance.ingest-interval", "100ms");
    p.put("easel.compliance.conformance.poll-interval", "300ms");
    p.put("easel.compliance.schedules.poll", "200ms");
    p.put("easel.compliance.secret-key", SECRET_KEY);
    p.put("easel.compliance.backups.poll-interval", "200ms");
    p.putAll(TestPlanKeys.senderProperties());
    p.putAll(TestIdentity.springProperties());
    p.putAll(extra);
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new RunningCompliance(
        new SpringApplicationBuilder(ComplianceApplication.class).run(args), db, hint);
  }

  public static String packTopic(String hint) {
    return "easel.packs.events." + hint;
  }

  public static String clusterTopic(String hint) {
    return "easel.clusters.events." + hint;
  }

  /** Sends one of pack-manager's events, as it sends them. */
  public void sendPackEvent(String key, Object event) {
    send(packTopic(hint), key, event);
  }

  /** Sends one of cluster-former's events, as it sends them. */
  public void sendClusterEvent(UUID clusterId, Object event) {
    send(clusterTopic(hint), clusterId.toString(), event);
  }

  /** Sends a contract record as a CloudEvent keyed by its aggregate. */
  public void send(String topic, String key, Object event) {
    String body = JSON.writeValueAsString(event);
    try {
      producer
          .send(
              KafkaClients.cloudEvent(
                  topic,
                  key,
                  UUID.randomUUID().toString(),
                  CONTRACTS.typeOf(event.getClass()),
                  body,
                  Map.of()))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("could not send " + event.getClass().getSimpleName(), e);
    }
  }

  public HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, Role.ADMIN);
  }

  /** One call as the gateway forwards the given role's; {@code body} may be null. */
  public HttpResponse<String> call(String method, String path, String body, Role role)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (role != null) {
      b.header("Authorization", TestIdentity.bearer(role));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A call as an admin, with {@code If-Match}. */
  public HttpResponse<String> callIfMatch(String method, String path, String body, String etag)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("If-Match", etag)
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A GET whose body is bytes: a download. */
  public HttpResponse<byte[]> download(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", TestIdentity.bearer(Role.VIEWER))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  public JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    app.close();
  }
}
