package dev.easel.clusters.support;

import dev.easel.clusters.ClusterFormerApplication;
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
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real cluster-former on a fresh database of the shared PostgreSQL and the shared broker, on a
 * free port. Other services' events are sent to the broker as those services send them.
 */
public final class RunningClusterFormer implements AutoCloseable {

  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final ConfigurableApplicationContext app;
  public final String base;
  public final TestDatabase db;
  private final KafkaProducer<String, byte[]> producer;

  private RunningClusterFormer(ConfigurableApplicationContext app, TestDatabase db) {
    this.app = app;
    this.db = db;
    this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    this.producer = KafkaClients.producer(Infrastructure.get().kafkaBootstrapServers());
  }

  /**
   * Starts cluster-former on its own topics, so that the events one test sends never reach the
   * service of another.
   */
  public static RunningClusterFormer start(String hint) {
    return start(hint, "easel.nodes.events." + hint, Map.of());
  }

  /**
   * Starts cluster-former reading node-discovery's events from {@code nodes}, with extra
   * properties.
   */
  public static RunningClusterFormer start(String hint, String nodes, Map<String, String> extra) {
    Infrastructure infra = Infrastructure.get();
    String packs = "easel.packs.events." + hint;
    infra.createTopics(
        3, nodes, packs, "easel.clusters.events", "easel.clusters.replies", "easel.nodes.commands");
    TestDatabase db = infra.newDatabase(hint);
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.put("spring.cloud.stream.bindings.nodeEvents-in-0.destination", nodes);
    p.put("spring.cloud.stream.bindings.packEvents-in-0.destination", packs);
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    p.put("easel.clusters.secret-key", java.util.Base64.getEncoder().encodeToString(key));
    p.putAll(TestIdentity.springProperties());
    // Plans leave sealed to the plan key the node-discovery under test opens with.
    p.putAll(TestPlanKeys.senderProperties());
    p.putAll(extra);
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new RunningClusterFormer(
        new SpringApplicationBuilder(ClusterFormerApplication.class).run(args), db);
  }

  public String nodeTopic() {
    return app.getEnvironment()
        .getProperty("spring.cloud.stream.bindings.nodeEvents-in-0.destination");
  }

  public String packTopic() {
    return app.getEnvironment()
        .getProperty("spring.cloud.stream.bindings.packEvents-in-0.destination");
  }

  /** Sends one of node-discovery's events about a node, keyed by the node as it keys them. */
  public void sendNodeEvent(UUID node, String type, Object payload) {
    send(nodeTopic(), node.toString(), type, payload);
  }

  /** Sends an event as its owner would: a CloudEvent keyed by its aggregate. */
  public void send(String topic, String key, String type, Object payload) {
    sendWithId(topic, key, UUID.randomUUID().toString(), type, payload);
  }

  public void sendWithId(String topic, String key, String id, String type, Object payload) {
    String body = payload instanceof String s ? s : JSON.writeValueAsString(payload);
    try {
      producer.send(KafkaClients.cloudEvent(topic, key, id, type, body, Map.of())).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not send " + type, e);
    }
  }

  public HttpResponse<String> call(String method, String path, String body) throws Exception {
    return call(method, path, body, "application/json");
  }

  /** One call as the gateway forwards an admin's; {@code body} may be null. */
  public HttpResponse<String> call(String method, String path, String body, String contentType)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
