package dev.easel.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.audit.AuditCheckpointed;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real audit service on the shared broker and a database of its own: events from several
 * services' topics chained once each, read back with filters, verified, tampered with, and the
 * chain continued after a restart.
 */
class AuditChainTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static TestDatabase db;
  private static KafkaProducer<String, byte[]> producer;
  private static ConfigurableApplicationContext app;
  private static String base;

  @BeforeAll
  static void start() {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(
        3,
        "easel.nodes.events",
        "easel.clusters.events",
        "easel.gateway.events",
        "easel.audit.events");
    db = infra.newDatabase("audit_chain");
    producer = KafkaClients.producer(infra.kafkaBootstrapServers());
    app = startAudit();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }

  private static ConfigurableApplicationContext startAudit() {
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", Infrastructure.get().kafkaBootstrapServers());
    p.put("easel.audit.checkpoint-every", "500ms");
    p.putAll(TestIdentity.springProperties());
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(AuditApplication.class).run(args);
    base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    return ctx;
  }

  private static String send(String topic, String type, String actor, String subject) {
    String id = UUID.randomUUID().toString();
    sendWithId(topic, id, type, actor, subject);
    return id;
  }

  private static void sendWithId(
      String topic, String id, String type, String actor, String subject) {
    Map<String, String> extra = new HashMap<>();
    extra.put("actor", actor);
    if (subject != null) {
      extra.put("subject", subject);
    }
    try {
      producer
          .send(
              KafkaClients.cloudEvent(
                  topic, subject == null ? id : subject, id, type, "{\"n\":\"" + id + "\"}", extra))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", TestIdentity.bearer(Role.VIEWER))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode recordOf(String eventId) throws Exception {
    return Awaitility.await("event " + eventId + " chained")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              for (JsonNode r : get("/api/v1/audit/records?limit=500").get("items")) {
                if (r.get("eventId").asString().equals(eventId)) {
                  return r;
                }
              }
              return null;
            },
            r -> r != null);
  }

  @Test
  void eventsOfEveryServiceAreChainedOnceAndReadBackByFilter() throws Exception {
    String node = send("easel.nodes.events", "dev.easel.nodes.NodeRegistered.v1", "agent", "n-1");
    String cluster =
        send("easel.clusters.events", "dev.easel.clusters.ClusterRunning.v1", "ops", "c-1");
    String trail = send("easel.gateway.events", "dev.easel.gateway.RequestRefused.v1", "eve", null);
    // The same event again, as a redelivery brings it: nothing is added.
    sendWithId("easel.nodes.events", node, "dev.easel.nodes.NodeRegistered.v1", "agent", "n-1");

    JsonNode n = recordOf(node);
    JsonNode c = recordOf(cluster);
    JsonNode t = recordOf(trail);
    assertThat(n.get("topic").asString()).isEqualTo("easel.nodes.events");
    assertThat(n.get("data").get("n").asString()).isEqualTo(node);
    assertThat(c.get("actor").asString()).isEqualTo("ops");
    assertThat(t.get("type").asString()).isEqualTo("dev.easel.gateway.RequestRefused.v1");

    JsonNode byActor = get("/api/v1/audit/records?actor=eve");
    assertThat(byActor.get("items")).extracting(i -> i.get("eventId").asString()).contains(trail);
    assertThat(byActor.toString()).doesNotContain(node);
    JsonNode bySubject = get("/api/v1/audit/records?subject=c-1");
    assertThat(bySubject.get("items")).hasSize(1);

    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              int copies = 0;
              for (JsonNode r : get("/api/v1/audit/records?limit=500").get("items")) {
                if (r.get("eventId").asString().equals(node)) {
                  copies++;
                }
              }
              return copies == 1;
            });
    assertThat(get("/api/v1/audit/verify").get("ok").asBoolean()).isTrue();
  }

  @Test
  void theChainsHeadIsPublishedAsACheckpoint() throws Exception {
    try (EventStream stream =
        EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.audit.events")) {
      String id = send("easel.nodes.events", "dev.easel.nodes.NodeRecovered.v1", "agent", "n-2");
      long seq = recordOf(id).get("seq").asLong();
      stream
          .andWaitForEventOfType(AuditCheckpointed.class)
          .matching(e -> e.seq() >= seq && e.hash().length() == 64)
          .within(Duration.ofSeconds(30))
          .toArrive();
    }
  }

  @Test
  void aHeadBehindTheLastCheckpointIsCheckpointedAgainRatherThanHidden() throws Exception {
    String id = send("easel.nodes.events", "dev.easel.nodes.NodeRecovered.v1", "agent", "n-6");
    long seq = recordOf(id).get("seq").asLong();
    try (EventStream stream =
        EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.audit.events")) {
      // As if records after the head had been checkpointed, then cut off the end of the chain.
      new JdbcTemplate(db.dataSource())
          .update(
              "INSERT INTO audit_checkpoint (seq, hash, at) VALUES (?, ?, now())",
              seq + 1_000_000,
              "f".repeat(64));
      stream
          .andWaitForEventOfType(AuditCheckpointed.class)
          .matching(e -> e.seq() >= seq && e.seq() < seq + 1_000_000)
          .within(Duration.ofSeconds(30))
          .toArrive();
    }
  }

  @Test
  void aRecordChangedDeletedOrForgedInTheDatabaseIsFoundByVerify() throws Exception {
    String a = send("easel.nodes.events", "dev.easel.nodes.NodeReserved.v1", "ops", "n-3");
    String b = send("easel.nodes.events", "dev.easel.nodes.NodeReleased.v1", "ops", "n-3");
    long seqA = recordOf(a).get("seq").asLong();
    long seqB = recordOf(b).get("seq").asLong();
    JsonNode before = get("/api/v1/audit/verify");
    assertThat(before.get("ok").asBoolean()).as(before.toString()).isTrue();
    JdbcTemplate jdbc = new JdbcTemplate(db.dataSource());

    // Changed: the data of a record.
    byte[] original =
        jdbc.queryForObject("SELECT data FROM audit_record WHERE seq = ?", byte[].class, seqA);
    jdbc.update(
        "UPDATE audit_record SET data = ? WHERE seq = ?", "{\"n\":\"forged\"}".getBytes(), seqA);
    JsonNode changed = get("/api/v1/audit/verify");
    assertThat(changed.get("ok").asBoolean()).isFalse();
    assertThat(changed.get("brokenSeq").asLong()).isEqualTo(seqA);
    assertThat(changed.get("reason").asString()).contains("data");
    jdbc.update("UPDATE audit_record SET data = ? WHERE seq = ?", original, seqA);

    // Changed: a field, with its data hash recomputed by someone who knows the scheme.
    jdbc.update("UPDATE audit_record SET actor = 'mallory' WHERE seq = ?", seqA);
    assertThat(get("/api/v1/audit/verify").get("brokenSeq").asLong()).isEqualTo(seqA);
    jdbc.update("UPDATE audit_record SET actor = 'ops' WHERE seq = ?", seqA);
    assertThat(get("/api/v1/audit/verify").get("ok").asBoolean()).isTrue();

    // Deleted: a record in the middle.
    Map<String, Object> row = jdbc.queryForMap("SELECT * FROM audit_record WHERE seq = ?", seqA);
    jdbc.update("DELETE FROM audit_record WHERE seq = ?", seqA);
    JsonNode deleted = get("/api/v1/audit/verify");
    assertThat(deleted.get("ok").asBoolean()).isFalse();
    assertThat(deleted.get("brokenSeq").asLong()).isEqualTo(seqA);
    assertThat(deleted.get("reason").asString()).contains("missing");
    jdbc.update(
        "INSERT INTO audit_record (seq, event_id, type, source, subject, actor, time, topic, data,"
            + " data_hash, prev_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?)",
        row.get("seq"),
        row.get("event_id"),
        row.get("type"),
        row.get("source"),
        row.get("subject"),
        row.get("actor"),
        row.get("time"),
        row.get("topic"),
        row.get("data"),
        row.get("data_hash"),
        row.get("prev_hash"),
        row.get("hash"),
        row.get("recorded_at"));
    assertThat(get("/api/v1/audit/verify").get("ok").asBoolean()).isTrue();

    // Forged: a record inserted where b was, shifting it on, with made-up hashes.
    jdbc.update("UPDATE audit_record SET seq = seq + 1000000 WHERE seq >= ?", seqB);
    jdbc.update(
        "INSERT INTO audit_record (seq, event_id, type, data, data_hash, prev_hash, hash)"
            + " VALUES (?, 'forged', 'x', '\\x7b7d'::bytea, ?, ?, ?)",
        seqB,
        "0".repeat(64),
        "0".repeat(64),
        "0".repeat(64));
    JsonNode forged = get("/api/v1/audit/verify?to=" + seqB);
    assertThat(forged.get("ok").asBoolean()).isFalse();
    assertThat(forged.get("brokenSeq").asLong()).isEqualTo(seqB);
    jdbc.update("DELETE FROM audit_record WHERE seq = ?", seqB);
    jdbc.update("UPDATE audit_record SET seq = seq - 1000000 WHERE seq >= ?", seqB + 1000000);
    assertThat(get("/api/v1/audit/verify").get("ok").asBoolean()).isTrue();
  }

  @Test
  void aRestartedServiceContinuesTheChainWhereItStood() throws Exception {
    String before =
        send("easel.nodes.events", "dev.easel.nodes.NodeDecommissioned.v1", "ops", "n-4");
    long seqBefore = recordOf(before).get("seq").asLong();
    app.close();
    app = startAudit();
    String after = send("easel.nodes.events", "dev.easel.nodes.NodeRegistered.v1", "ops", "n-5");
    JsonNode r = recordOf(after);
    assertThat(r.get("seq").asLong()).isGreaterThan(seqBefore);
    JsonNode verdict = get("/api/v1/audit/verify");
    assertThat(verdict.get("ok").asBoolean()).isTrue();
    assertThat(verdict.get("checked").asLong()).isEqualTo(verdict.get("head").get("seq").asLong());
  }

  @Test
  void badQueryParametersGetProblemsAndChangeNothing() throws Exception {
    HttpResponse<String> limit =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/records?limit=100000"))
                .header("Authorization", TestIdentity.bearer(Role.VIEWER))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(limit.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    HttpResponse<String> from =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/records?from=yesterday"))
                .header("Authorization", TestIdentity.bearer(Role.VIEWER))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(from.statusCode()).isEqualTo(400);
    HttpResponse<String> verify =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/audit/verify?from=0"))
                .header("Authorization", TestIdentity.bearer(Role.VIEWER))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(verify.statusCode()).isEqualTo(400);
  }
}
