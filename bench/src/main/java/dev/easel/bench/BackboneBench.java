package dev.easel.bench;

import dev.easel.bench.BenchApps.Run;
import dev.easel.bench.BenchContracts.Ping;
import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.common.outbox.OutboxRelay;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaEngine;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The backbone benchmark: outbox latency and drain rate, saga throughput and latency between two
 * Spring contexts, and a raw Kafka producer → consumer baseline on the same broker in the same run.
 * Everything runs on this machine: broker, PostgreSQL (default, durable settings) and both services
 * share its cores.
 */
final class BackboneBench {

  private static final String PADDING = "x".repeat(200);
  private Map<String, Double> results = new LinkedHashMap<>();
  private static volatile boolean rawOpen;
  private final Map<String, Object> settings = new LinkedHashMap<>();

  /**
   * Runs against a durable PostgreSQL: the figures are the product's. With {@code fast}, a second
   * pass against a PostgreSQL without fsync reports its figures beside them, prefixed {@code
   * nondurable_}, to show what durability costs.
   */
  void run(boolean fast) throws Exception {
    Map<String, Double> durable = pass(PostgresServer.DURABLE);
    Map<String, Object> all = new LinkedHashMap<>(settings);
    all.putAll(durable);
    if (fast) {
      say("");
      say("second pass: PostgreSQL without fsync (--fast)");
      pass(PostgresServer.THROWAWAY).forEach((k, v) -> all.put("nondurable_" + k, v));
    }
    Report.write("backbone", all);
  }

  private Map<String, Double> pass(Map<String, String> pgSettings) throws Exception {
    results = new LinkedHashMap<>();
    try (WorkDir work = new WorkDir("easel-bench")) {
      run(work, pgSettings);
    }
    return results;
  }

  private void run(WorkDir work, Map<String, String> pgSettings) throws Exception {
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, pgSettings)) {
      if (settings.isEmpty()) {
        settings.put("pg_fsync", "on".equals(pg.setting("fsync")));
        settings.put("pg_synchronous_commit", pg.setting("synchronous_commit"));
        settings.put("pg_full_page_writes", "on".equals(pg.setting("full_page_writes")));
        settings.put("cores", Runtime.getRuntime().availableProcessors());
      }
      pg.ensureDatabase("bench_a");
      pg.ensureDatabase("bench_b");
      createTopics(
          kafka.bootstrapServers(),
          "bench.raw",
          "easel.bencha.events",
          "easel.bencha.replies",
          "easel.benchb.commands");
      say(
          "broker %s, postgresql %d (fsync %s, synchronous_commit %s), %d cores",
          kafka.bootstrapServers(),
          pg.port(),
          pg.setting("fsync"),
          pg.setting("synchronous_commit"),
          Runtime.getRuntime().availableProcessors());

      try (ConfigurableApplicationContext a =
              start(
                  BenchApps.AlphaApp.class,
                  pg,
                  kafka,
                  "bench_a",
                  "bencha",
                  "bench-a",
                  Map.of("easel.messaging.saga.enabled", "true"));
          ConfigurableApplicationContext b =
              start(
                  BenchApps.BetaApp.class,
                  pg,
                  kafka,
                  "bench_b",
                  "benchb",
                  "bench-b",
                  Map.of(
                      "spring.cloud.function.definition", "pings;steps",
                      "spring.cloud.stream.bindings.pings-in-0.destination", "easel.bencha.events",
                      "spring.cloud.stream.bindings.steps-in-0.destination",
                          "easel.benchb.commands"))) {
        warmUp(a);
        rawKafka(kafka.bootstrapServers());
        outboxLatency(a, b);
        outboxDrain(a);
        sagas(a, b);
      }
    }
    report();
  }

  /**
   * Every path runs for a while before anything is measured: a cold JVM spends most of its first
   * minute compiling, and on two cores that time would be charged to the backbone.
   */
  private void warmUp(ConfigurableApplicationContext a) throws Exception {
    long t0 = System.nanoTime();
    Outbox outbox = a.getBean(Outbox.class);
    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    SagaEngine engine = a.getBean(SagaEngine.class);
    @SuppressWarnings("unchecked")
    SagaDefinition<Run> def = (SagaDefinition<Run>) a.getBean("bench3", SagaDefinition.class);
    paced(
        500,
        Duration.ofSeconds(15),
        Duration.ZERO,
        (i, measure) -> {
          tx.execute(s -> outbox.publishEvent("warm-" + (i % 100), new Ping("w" + i, i, PADDING)));
          if (i % 20 == 0) {
            engine.start(def, new Run("warm-" + i));
          }
        });
    for (int i = 0; i < 100; i++) {
      engine.start(def, new Run("warm-seq-" + i));
      BenchApps.awaitDone("warm-seq-" + i, Duration.ofSeconds(30));
    }
    say("warm-up: %.1f s", (System.nanoTime() - t0) / 1e9);
  }

  // ---- raw Kafka baseline -------------------------------------------------------------------

  private void rawKafka(String bootstrap) throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicLong received = new AtomicLong();
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrap)) {
      Thread consumer =
          consume(
              bootstrap,
              "bench.raw",
              r -> {
                received.incrementAndGet();
                Long t = sentAt.remove(r.key());
                if (t != null) {
                  latencies.add(System.nanoTime() - t);
                }
              });
      paced(
          500,
          Duration.ofSeconds(12),
          Duration.ofSeconds(2),
          (i, measure) -> {
            String key = "k" + i;
            if (measure) {
              sentAt.put(key, System.nanoTime());
            }
            producer.send(new ProducerRecord<>("bench.raw", key, payload(i)));
          });
      Thread.sleep(1000);
      Stats s = new Stats(latencies);
      results.put("kafka_raw_p50_ms", s.percentileMs(50));
      results.put("kafka_raw_p99_ms", s.percentileMs(99));

      int n = 200_000;
      long before = received.get();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        producer.send(new ProducerRecord<>("bench.raw", "t" + (i % 64), payload(i)));
      }
      producer.flush();
      while (received.get() - before < n
          && System.nanoTime() - t0 < Duration.ofSeconds(120).toNanos()) {
        Thread.sleep(5);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      results.put("kafka_raw_per_s", (received.get() - before) / secs);
      rawOpen = false;
      consumer.join(5000);
    }
    say(
        "raw kafka: p50 %.2f ms, p99 %.2f ms at 500/s; %.0f msg/s producer→consumer",
        results.get("kafka_raw_p50_ms"),
        results.get("kafka_raw_p99_ms"),
        results.get("kafka_raw_per_s"));
  }

  // ---- outbox -------------------------------------------------------------------------------

  private void outboxLatency(ConfigurableApplicationContext a, ConfigurableApplicationContext b)
      throws Exception {
    Outbox outbox = a.getBean(Outbox.class);
    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    Map<String, Long> committedAt = new ConcurrentHashMap<>();
    BenchApps.HANDLED.clear();
    java.time.Instant measuredFrom = java.time.Instant.now().plusSeconds(2);
    paced(
        500,
        Duration.ofSeconds(22),
        Duration.ofSeconds(2),
        (i, measure) -> {
          UUID id =
              tx.execute(
                  s -> outbox.publishEvent("agg-" + (i % 100), new Ping("p" + i, i, PADDING)));
          if (measure) {
            committedAt.put(id.toString(), System.nanoTime());
          }
        });
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!BenchApps.HANDLED.keySet().containsAll(committedAt.keySet())
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<Long> latencies = new ArrayList<>();
    java.util.TreeMap<Long, Long> worstPerSecond = new java.util.TreeMap<>();
    long firstCommit = committedAt.values().stream().mapToLong(Long::longValue).min().orElse(0);
    committedAt.forEach(
        (id, t) -> {
          Long h = BenchApps.HANDLED.get(id);
          if (h != null) {
            latencies.add(h - t);
            worstPerSecond.merge((t - firstCommit) / 1_000_000_000L, h - t, Math::max);
          }
        });
    // Where the tail lives: the worst latency of each second of the run. Spikes that several
    // seconds share point at a pause of the whole machine (a collection, an fsync stall).
    StringBuilder worst = new StringBuilder();
    worstPerSecond.forEach((sec, nanos) -> worst.append(String.format(" %.0f", nanos / 1e6)));
    say("  outbox: worst latency of each second, ms:%s", worst);
    Stats s = new Stats(latencies);
    results.put("outbox_p50_ms", s.percentileMs(50));
    results.put("outbox_p99_ms", s.percentileMs(99));
    results.put("outbox_latency_samples", (double) s.count());
    say(
        "outbox: commit → handler p50 %.2f ms, p99 %.2f ms at 500 events/s (%d samples)",
        s.percentileMs(50), s.percentileMs(99), s.count());
    breakdown("outbox", a, b, "dev.easel.bencha.Ping.v1", measuredFrom, java.time.Instant.now());
  }

  /**
   * Where the time of one hop goes: append → broker acknowledgement (the outbox row's append time
   * and {@code published_at}, which the relay sets to the acknowledgement time), acknowledgement →
   * the consumer's transaction start (its inbox row's {@code received_at}), and for events the
   * consumer's handler → its commit. All are read off this machine's one wall clock.
   */
  private void breakdown(
      String prefix,
      ConfigurableApplicationContext a,
      ConfigurableApplicationContext b,
      String type,
      java.time.Instant from,
      java.time.Instant to) {
    JdbcTemplate aj = a.getBean(JdbcTemplate.class);
    JdbcTemplate bj = b.getBean(JdbcTemplate.class);
    Map<String, long[]> sent = new HashMap<>();
    aj.query(
        "SELECT id::text, (extract(epoch from occurred_at) * 1000000)::bigint,"
            + " (extract(epoch from published_at) * 1000000)::bigint FROM easel.outbox"
            + " WHERE type = ? AND published_at IS NOT NULL AND occurred_at BETWEEN ? AND ?",
        rs -> {
          sent.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        },
        type,
        java.sql.Timestamp.from(from),
        java.sql.Timestamp.from(to));
    List<Long> appendToAck = new ArrayList<>();
    List<Long> ackToConsumer = new ArrayList<>();
    List<Long> handlerToCommit = new ArrayList<>();
    bj.query(
        "SELECT message_id, (extract(epoch from received_at) * 1000000)::bigint FROM easel.inbox"
            + " WHERE type = ?",
        rs -> {
          long[] t = sent.get(rs.getString(1));
          if (t != null) {
            appendToAck.add((t[1] - t[0]) * 1000);
            ackToConsumer.add((rs.getLong(2) - t[1]) * 1000);
            java.time.Instant[] hc = BenchApps.HANDLED_AND_COMMITTED.get(rs.getString(1));
            if (hc != null && hc[1] != null) {
              handlerToCommit.add(java.time.Duration.between(hc[0], hc[1]).toNanos());
            }
          }
        },
        type);
    Stats r = new Stats(appendToAck);
    Stats d = new Stats(ackToConsumer);
    results.put(prefix + "_append_to_ack_p50_ms", r.percentileMs(50));
    results.put(prefix + "_append_to_ack_p99_ms", r.percentileMs(99));
    results.put(prefix + "_ack_to_consumer_p50_ms", d.percentileMs(50));
    results.put(prefix + "_ack_to_consumer_p99_ms", d.percentileMs(99));
    say(
        "  %s: append → ack p50 %.2f ms p99 %.2f ms; ack → consumer tx p50 %.2f ms p99 %.2f ms",
        prefix, r.percentileMs(50), r.percentileMs(99), d.percentileMs(50), d.percentileMs(99));
    if (!handlerToCommit.isEmpty()) {
      Stats c = new Stats(handlerToCommit);
      results.put(prefix + "_handler_to_commit_p50_ms", c.percentileMs(50));
      results.put(prefix + "_handler_to_commit_p99_ms", c.percentileMs(99));
      say(
          "  %s: handler → commit p50 %.2f ms p99 %.2f ms",
          prefix, c.percentileMs(50), c.percentileMs(99));
    }
  }

  private void outboxDrain(ConfigurableApplicationContext a) throws Exception {
    OutboxRelay relay = a.getBean(OutboxRelay.class);
    Outbox outbox = a.getBean(Outbox.class);
    TransactionTemplate tx = a.getBean(TransactionTemplate.class);
    JdbcTemplate jdbc = a.getBean(JdbcTemplate.class);
    relay.stop();
    int handledBefore = BenchApps.HANDLED.size();
    int n = 100_000;
    for (int start = 0; start < n; start += 1000) {
      int from = start;
      tx.executeWithoutResult(
          s -> {
            List<OutboundMessage> batch = new ArrayList<>(1000);
            for (int i = from; i < from + 1000; i++) {
              batch.add(
                  OutboundMessage.of(
                      "easel.bencha.events", "agg-" + (i % 100), new Ping("d" + i, i, PADDING)));
            }
            outbox.appendAll(batch);
          });
    }
    long t0 = System.nanoTime();
    relay.start();
    while (unpublished(jdbc) > 0) {
      if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
        throw new IllegalStateException(
            "the relay left " + unpublished(jdbc) + " rows unpublished after 5 minutes");
      }
      Thread.sleep(20);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    results.put("outbox_drain_per_s", n / secs);
    say("outbox: drained %d events in %.2f s = %.0f events/s", n, secs, n / secs);
    // The consumer works through the same backlog; let it finish so that the saga figures
    // below are not charged with it, and report its rate: one inbox transaction per event.
    while (BenchApps.HANDLED.size() < handledBefore + n
        && System.nanoTime() - t0 < Duration.ofMinutes(5).toNanos()) {
      Thread.sleep(20);
    }
    double consumed = (System.nanoTime() - t0) / 1e9;
    results.put("inbox_per_s", (BenchApps.HANDLED.size() - handledBefore) / consumed);
    say("inbox: one consumer service handled them at %.0f events/s", results.get("inbox_per_s"));
  }

  private static long unpublished(JdbcTemplate jdbc) {
    return jdbc.queryForObject(
        "SELECT count(*) FROM easel.outbox WHERE published_at IS NULL", Long.class);
  }

  // ---- sagas --------------------------------------------------------------------------------

  private void sagas(ConfigurableApplicationContext a, ConfigurableApplicationContext b)
      throws Exception {
    SagaEngine engine = a.getBean(SagaEngine.class);
    @SuppressWarnings("unchecked")
    SagaDefinition<Run> def = (SagaDefinition<Run>) a.getBean("bench3", SagaDefinition.class);
    // wait out the drain's tail so the saga figures are not shared with it
    Thread.sleep(3000);

    List<Long> latencies = new ArrayList<>();
    java.time.Instant sequentialFrom = java.time.Instant.now();
    for (int i = 0; i < 220; i++) {
      String runId = "lat-" + i;
      long t0 = System.nanoTime();
      engine.start(def, new Run(runId));
      Long done = BenchApps.awaitDone(runId, Duration.ofSeconds(30));
      if (i >= 20) {
        latencies.add(done - t0);
      }
    }
    Stats s = new Stats(latencies);
    results.put("saga3_p50_ms", s.percentileMs(50));
    results.put("saga3_p99_ms", s.percentileMs(99));
    say(
        "saga: 3-step saga start → completed p50 %.2f ms, p99 %.2f ms (one at a time)",
        s.percentileMs(50), s.percentileMs(99));
    breakdown(
        "saga_command",
        a,
        b,
        "dev.easel.benchb.DoStep.v1",
        sequentialFrom,
        java.time.Instant.now());
    breakdown(
        "saga_reply",
        b,
        a,
        "dev.easel.saga.CommandSucceeded.v1",
        sequentialFrom,
        java.time.Instant.now());

    int sagas = 2000;
    int inFlight = 200;
    Semaphore window = new Semaphore(inFlight);
    BenchApps.window = window;
    ExecutorService starters = Executors.newFixedThreadPool(4);
    long t0 = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < sagas; i++) {
      String runId = "tp-" + i;
      ids.add(runId);
      window.acquire();
      starters.submit(() -> engine.start(def, new Run(runId)));
    }
    while (!ids.stream().allMatch(BenchApps.SAGA_DONE::containsKey)) {
      Thread.sleep(5);
      if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
        throw new IllegalStateException("throughput run did not finish");
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    BenchApps.window = null;
    starters.shutdown();
    starters.awaitTermination(10, TimeUnit.SECONDS);
    results.put("saga_steps_per_s", sagas * 3 / secs);
    results.put("saga_per_s", sagas / secs);
    say(
        "saga: %d sagas x 3 steps in %.2f s = %.0f steps/s (%d in flight)",
        sagas, secs, sagas * 3 / secs, inFlight);
  }

  // ---- plumbing -----------------------------------------------------------------------------

  interface Tick {
    void run(long i, boolean measure) throws Exception;
  }

  /** Calls {@code tick} at a fixed rate; the warm-up's ticks are not measured. */
  private static void paced(int perSecond, Duration total, Duration warmup, Tick tick)
      throws Exception {
    long interval = 1_000_000_000L / perSecond;
    long t0 = System.nanoTime();
    long n = total.toNanos() / interval;
    for (long i = 0; i < n; i++) {
      long due = t0 + i * interval;
      long wait;
      // Parking, not spinning: a spinning driver would take a core from the system it measures.
      while ((wait = due - System.nanoTime()) > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      tick.run(i, due - t0 >= warmup.toNanos());
    }
  }

  private static ConfigurableApplicationContext start(
      Class<?> app,
      PostgresServer pg,
      KraftBroker kafka,
      String db,
      String context,
      String service,
      Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>();
    p.put("spring.datasource.url", pg.jdbcUrl(db));
    p.put("spring.datasource.username", pg.username());
    p.put("spring.datasource.password", pg.password());
    p.put("spring.datasource.hikari.maximum-pool-size", "12");
    p.put("spring.cloud.stream.kafka.binder.brokers", kafka.bootstrapServers());
    p.put("spring.cloud.stream.kafka.binder.consumer-properties.fetch.max.wait.ms", "100");
    p.put("spring.cloud.stream.kafka.binder.producer-properties.linger.ms", "1");
    p.put("spring.cloud.stream.default.consumer.concurrency", "3");
    p.put("easel.messaging.context", context);
    p.put("easel.messaging.service", service);
    p.put("easel.messaging.relay.batch-size", "1000");
    p.put("logging.level.root", "WARN");
    p.put("logging.level.dev.easel", "WARN");
    p.put("spring.main.banner-mode", "off");
    p.putAll(extra);
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(p)
        .logStartupInfo(false)
        .run();
  }

  static void createTopics(String bootstrap, String... topics) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<NewTopic> t = new ArrayList<>();
      for (String topic : topics) {
        t.add(new NewTopic(topic, 3, (short) 1));
      }
      admin.createTopics(t).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Thread consume(
      String bootstrap,
      String topic,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> each) {
    KafkaConsumer<String, byte[]> c = KafkaClients.assignedConsumer(bootstrap, List.of(topic));
    Set<TopicPartition> tps = c.assignment();
    c.seekToEnd(tps);
    tps.forEach(c::position);
    rawOpen = true;
    Thread t =
        new Thread(
            () -> {
              try (c) {
                while (rawOpen) {
                  c.poll(Duration.ofMillis(100)).forEach(each);
                }
              }
            },
            "bench-raw-consumer");
    t.start();
    return t;
  }

  private static byte[] payload(long i) {
    return ("{\"id\":\"p" + i + "\",\"seq\":" + i + ",\"padding\":\"" + PADDING + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void report() throws IOException {
    say("");
    say("%-24s %12s %14s", "metric", "value", "goal");
    Map<String, String> goals =
        Map.of(
            "outbox_p99_ms", "<= 50",
            "outbox_drain_per_s", ">= 5000",
            "saga_steps_per_s", ">= 1000",
            "saga3_p50_ms", "<= 30");
    results.forEach((k, v) -> say("%-24s %12.2f %14s", k, v, goals.getOrDefault(k, "")));
    double ratio = results.get("outbox_p50_ms") / results.get("kafka_raw_p50_ms");
    results.put("outbox_p50_over_raw_p50", ratio);
    results.put(
        "outbox_drain_over_raw_rate",
        results.get("outbox_drain_per_s") / results.get("kafka_raw_per_s"));
    say("%-24s %12.2f", "outbox_p50_over_raw_p50", ratio);
    say("%-24s %12.3f", "outbox_drain_over_raw_rate", results.get("outbox_drain_over_raw_rate"));
  }

  private static void say(String format, Object... args) {
    Report.say(format, args);
  }
}
