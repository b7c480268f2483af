package dev.easel.bench;

import static dev.easel.bench.Report.say;

import dev.easel.contracts.api.Role;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit benchmark: audit's jar as its own process on a real broker and a durable PostgreSQL. A
 * million events of five services wait on the broker; audit is started and chains them. {@code
 * audit_ingest_per_s} is the rate from its first record to its millionth; {@code audit_verify_1m_s}
 * is one {@code /verify} of the whole chain.
 */
final class AuditBench {

  private static final int EVENTS = 1_000_000;
  private static final List<String> TOPICS =
      List.of(
          "easel.nodes.events",
          "easel.clusters.events",
          "easel.packs.events",
          "easel.compliance.events",
          "easel.gateway.events");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-audit")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE)) {
      pg.ensureDatabase("easel_audit");
      List<String> topics = new ArrayList<>(TOPICS);
      topics.add("easel.audit.events");
      BackboneBench.createTopics(kafka.bootstrapServers(), topics.toArray(String[]::new));
      results.put("pg_fsync", "on".equals(pg.setting("fsync")));
      results.put("pg_synchronous_commit", pg.setting("synchronous_commit"));
      results.put("cores", Runtime.getRuntime().availableProcessors());
      produce(kafka.bootstrapServers());

      int port = DiscoveryBench.freePort();
      String base = "http://127.0.0.1:" + port;
      Process audit =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-jar",
                  DiscoveryBench.serviceJar("audit").toString(),
                  "--server.port=" + port,
                  "--spring.datasource.url=" + pg.jdbcUrl("easel_audit"),
                  "--spring.datasource.username=" + pg.username(),
                  "--spring.datasource.password=" + pg.password(),
                  "--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers(),
                  "--easel.audit.checkpoint-every=1h",
                  TestIdentity.commandLineArgument())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("audit.log").toFile())
              .start();
      try {
        DiscoveryBench.awaitHealthy(base, audit);
        say(
            "audit on %s; broker %s; postgresql %d (fsync %s)",
            base, kafka.bootstrapServers(), pg.port(), pg.setting("fsync"));
        long first = 0;
        long last;
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        long lastSay = System.nanoTime();
        while (true) {
          long seq = head(base);
          long now = System.nanoTime();
          if (seq > 0 && first == 0) {
            first = now;
          }
          if (seq >= EVENTS) {
            last = now;
            break;
          }
          if (now > deadline) {
            throw new IllegalStateException(
                "audit chained " + seq + " of " + EVENTS + " in 15 min");
          }
          if (now - lastSay > 10_000_000_000L) {
            say("  %,d chained", seq);
            lastSay = now;
          }
          Thread.sleep(100);
        }
        double perSecond = EVENTS / ((last - first) / 1e9);
        say("%,d events chained at %,.0f/s", EVENTS, perSecond);
        results.put("audit_ingest_per_s", perSecond);

        long t0 = System.nanoTime();
        JsonNode verdict = get(base + "/api/v1/audit/verify");
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!verdict.get("ok").asBoolean() || verdict.get("checked").asLong() != EVENTS) {
          throw new IllegalStateException("verification failed: " + verdict);
        }
        say("verifying %,d records: %.1f s", EVENTS, seconds);
        results.put("audit_verify_1m_s", seconds);
      } finally {
        audit.destroy();
        if (!audit.waitFor(20, TimeUnit.SECONDS)) {
          audit.destroyForcibly();
        }
      }
    }
    Report.write("audit", results);
  }

  private void produce(String bootstrap) throws Exception {
    long t0 = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrap)) {
      List<Future<RecordMetadata>> last = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        String topic = TOPICS.get(i % TOPICS.size());
        String subject = "subject-" + (i % 1000);
        String body =
            "{\"nodeId\":\""
                + UUID.randomUUID()
                + "\",\"hostname\":\"bench-"
                + i
                + "\",\"labels\":{\"site\":\"lab\"},\"at\":\"2026-11-26T10:00:00Z\"}";
        Future<RecordMetadata> f =
            producer.send(
                KafkaClients.cloudEvent(
                    topic,
                    subject,
                    UUID.randomUUID().toString(),
                    "dev.easel.bench.Happened.v1",
                    body,
                    Map.of("actor", "bench", "subject", subject)));
        if (i % 10_000 == 9_999) {
          last.add(f);
        }
      }
      for (Future<RecordMetadata> f : last) {
        f.get(60, TimeUnit.SECONDS);
      }
      producer.flush();
    }
    say("%,d events on the broker in %.1f s", EVENTS, (System.nanoTime() - t0) / 1e9);
  }

  private long head(String base) throws Exception {
    JsonNode v = get(base + "/api/v1/audit/verify?from=1&to=1");
    JsonNode head = v.get("head");
    return head == null ? 0 : head.get("seq").asLong();
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }
}
