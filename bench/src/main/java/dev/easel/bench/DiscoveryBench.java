package dev.easel.bench;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.simulate.Simulator;
import dev.easel.contracts.api.Role;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The discovery benchmark: the node-discovery jar as its own process (so its CPU and memory are its
 * own), a real broker and PostgreSQL, and the agent's simulator driving 10,000 nodes over real HTTP
 * from this JVM. Everything shares this machine's cores.
 *
 * <p>Phases: a burst of 1,000 registrations; 9,000 more; heartbeats of 10,000 nodes every 10 s
 * (1,000/s) with latency and the service's CPU; a bare HTTP round trip at the same rate as the
 * baseline; shorter intervals until the service falls behind; and 200 nodes falling silent, timed
 * until the broker carries their NodeBecameUnreachable.
 */
final class DiscoveryBench {

  private static final int NODES = 10_000;
  private static final int BURST = 1_000;
  private static final int SILENCED = 200;
  private final Map<String, Double> results = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<long[]> timeline = new ConcurrentLinkedQueue<>();
  private volatile boolean recording;

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-discovery")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    Path jar = serviceJar();
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE)) {
      pg.ensureDatabase("easel_nodes");
      createTopics(kafka.bootstrapServers(), "easel.nodes.events", "easel.nodes.commands");
      int port = freePort();
      String base = "http://127.0.0.1:" + port;
      Process service =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + port,
                  "--spring.datasource.url=" + pg.jdbcUrl("easel_nodes"),
                  "--spring.datasource.username=" + pg.username(),
                  "--spring.datasource.password=" + pg.password(),
                  "--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers(),
                  "--management.metrics.distribution.percentiles.http.server.requests=0.5,0.99",
                  TestIdentity.commandLineArgument())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("node-discovery.log").toFile())
              .start();
      try {
        awaitHealthy(base, service);
        say(
            "node-discovery pid %d on %s; broker %s; postgresql %d; %d cores",
            service.pid(),
            base,
            kafka.bootstrapServers(),
            pg.port(),
            Runtime.getRuntime().availableProcessors());
        String token = token(base);
        measure(base, token, work.path, service.pid(), kafka.bootstrapServers());
        selectiveList(base, pg);
      } finally {
        service.destroy();
        if (!service.waitFor(20, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
    }
    report();
  }

  private void measure(String base, String token, Path work, long pid, String brokers)
      throws Exception {
    try (Simulator burst = simulator(base, token, work.resolve("burst"), BURST);
        Simulator rest = simulator(base, token, work.resolve("rest"), NODES - BURST)) {
      Duration b = burst.registerAll();
      results.put("register_1000_s", b.toMillis() / 1000.0);
      say("registered %d nodes in %.1f s (burst)", burst.nodeIds().size(), b.toMillis() / 1000.0);
      Duration r = rest.registerAll();
      say("registered %d more in %.1f s", rest.nodeIds().size(), r.toMillis() / 1000.0);
      // Counts the nodes that did register, not the ones asked to: a refusal must not count.
      results.put("register_per_s", rest.nodeIds().size() / (r.toMillis() / 1000.0));

      // Heartbeats of 10,000 nodes at 10 s.
      // A fresh JVM on both sides needs about 20 s to settle (JIT, connection pool, caches).
      Phase sustained = heartbeats(List.of(burst, rest), Duration.ofSeconds(10), pid, 20, 30);
      results.put("heartbeat_sustained_per_s", sustained.rate);
      results.put("heartbeat_p50_ms", sustained.p50);
      results.put("heartbeat_p99_ms", sustained.p99);
      results.put("node_discovery_cpu_cores", sustained.cpuCores);
      results.put("heartbeat_failed", (double) sustained.failed);
      double[] own = serverHeartbeatTimes(base);
      results.put("server_heartbeat_p50_ms", own[0]);
      results.put("server_heartbeat_p99_ms", own[1]);
      results.put("server_heartbeat_max_ms", own[2]);
      say(
          "  node-discovery's own view of handling a heartbeat: p50 %.1f ms, p99 %.1f ms, max %.1f ms",
          own[0], own[1], own[2]);

      // The baseline: a bare HTTP round trip through the same server at the same rate, alone.
      for (Simulator s : List.of(burst, rest)) {
        s.stopHeartbeats();
      }
      Thread.sleep(2_000);
      Phase baseline = baseline(base, 1_000, 20);
      results.put("baseline_http_p50_ms", baseline.p50);
      results.put("baseline_http_p99_ms", baseline.p99);
      results.put("heartbeat_p99_over_baseline_p99", sustained.p99 / baseline.p99);

      // Shorter intervals until the service falls behind.
      double max = sustained.rate;
      for (int ms : new int[] {8_000, 6_667, 5_000, 2_500, 2_000}) {
        Phase p = heartbeats(List.of(burst, rest), Duration.ofMillis(ms), pid, 5, 15);
        double offered = NODES * 1000.0 / ms;
        // Keeping up means the rate, no failures, and no queue building up: a p99 under 1 s.
        boolean kept = p.rate >= 0.95 * offered && p.failed == 0 && p.p99 < 1_000;
        say("  offered %,.0f/s: %s", offered, kept ? "kept up" : "fell behind");
        if (kept) {
          max = Math.max(max, p.rate);
        } else {
          break;
        }
      }
      results.put("heartbeat_max_per_s", max);

      // Liveness: 200 nodes fall silent while the rest keep heartbeating at 10 s.
      for (Simulator s : List.of(burst, rest)) {
        s.startHeartbeats(Duration.ofSeconds(10));
      }
      Thread.sleep(12_000);
      try (KafkaConsumer<String, byte[]> consumer = unreachableConsumer(brokers)) {
        Map<UUID, Long> lastAck = burst.silence(SILENCED);
        long silencedAt = System.currentTimeMillis();
        Map<UUID, Long> detected = new HashMap<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (detected.size() < lastAck.size() && System.currentTimeMillis() < deadline) {
          for (ConsumerRecord<String, byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
            Header type = rec.headers().lastHeader("ce_type");
            if (type == null) {
              type = rec.headers().lastHeader("ce-type");
            }
            if (type != null
                && new String(type.value(), StandardCharsets.UTF_8)
                    .equals("dev.easel.nodes.NodeBecameUnreachable.v1")) {
              UUID id = UUID.fromString(rec.key());
              if (lastAck.containsKey(id)) {
                detected.putIfAbsent(id, System.currentTimeMillis());
              }
            }
          }
        }
        List<Long> nanos = new ArrayList<>();
        detected.forEach((id, at) -> nanos.add((at - lastAck.get(id)) * 1_000_000L));
        Stats s = new Stats(nanos);
        results.put("unreachable_detected", (double) detected.size());
        results.put("unreachable_detect_p50_s", s.percentileMs(50) / 1000);
        results.put("unreachable_detect_p99_s", s.percentileMs(99) / 1000);
        results.put("unreachable_detect_max_s", s.percentileMs(100) / 1000);
        say(
            "%d of %d silenced nodes reported unreachable, %.0f s after silencing",
            detected.size(), lastAck.size(), (System.currentTimeMillis() - silencedAt) / 1000.0);
      }
      results.put("node_discovery_rss_mb", rssMb(pid));
    }
  }

  /**
   * A selector that matches 1% of 100,000 nodes must not scan them all: 90,000 more nodes are
   * written straight into the service's database (each of 100 sites holds 1%), then the list API is
   * asked for one site, a page of 500, 200 times; the baseline is the same request without a
   * selector, which reads the first page in id order.
   */
  private void selectiveList(String base, PostgresServer pg) throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(
                pg.jdbcUrl("easel_nodes"), pg.username(), pg.password());
        java.sql.Statement s = c.createStatement()) {
      long t0 = System.nanoTime();
      s.executeUpdate(
          "INSERT INTO nodes (id, machine_id, hostname, lifecycle, reachable, platform, labels,"
              + " all_labels, inventory, registered_at, updated_at)"
              + " SELECT gen_random_uuid(), 'bench:' || g, 'bench-' || g, 'FREE', true,"
              + " 'BAREMETAL', jsonb_build_object('site', 'site-' || (g % 100)),"
              + " jsonb_build_object('site', 'site-' || (g % 100), 'easel.dev/cores',"
              + " (8 * (1 + g % 4))::text, 'easel.dev/platform', 'baremetal', 'easel.dev/arch',"
              + " 'amd64', 'easel.dev/firmware', 'uefi', 'easel.dev/memory-gib', '64',"
              + " 'easel.dev/disk-count', '2'), '{\"hostname\":\"bench\",\"disks\":[]}'::jsonb,"
              + " now(), now() FROM generate_series(1, 90000) g");
      s.execute("ANALYZE nodes");
      say("wrote 90,000 more nodes in %.1f s", (System.nanoTime() - t0) / 1e9);
    }
    HttpClient http = HttpClient.newHttpClient();
    Stats selective = timeList(http, base + "/api/v1/nodes?pageSize=500&selector=site%3Dsite-7");
    Stats everything = timeList(http, base + "/api/v1/nodes?pageSize=500");
    results.put("list_selective_p50_ms", selective.percentileMs(50));
    results.put("list_selective_p99_ms", selective.percentileMs(99));
    results.put("list_unfiltered_p99_ms", everything.percentileMs(99));
    say(
        "list of one site (1%% of 100,000 nodes), pages of 500: p50 %.1f ms, p99 %.1f ms;"
            + " no selector: p99 %.1f ms",
        selective.percentileMs(50), selective.percentileMs(99), everything.percentileMs(99));
  }

  private static Stats timeList(HttpClient http, String url) throws Exception {
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < 220; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
      if (i >= 20) {
        nanos.add(System.nanoTime() - t0);
      }
    }
    return new Stats(nanos);
  }

  private record Phase(double rate, double p50, double p99, double cpuCores, long failed) {}

  private Phase heartbeats(
      List<Simulator> sims, Duration interval, long pid, int warmupSeconds, int seconds)
      throws Exception {
    for (Simulator s : sims) {
      s.startHeartbeats(interval);
    }
    Thread.sleep(warmupSeconds * 1000L);
    // Measure only once the simulators have no queue left from the start (first lookups, JIT):
    // a queue that never drains within a minute means the rate is not kept up.
    long settleBy = System.nanoTime() + 60_000_000_000L;
    int quiet = 0;
    while (quiet < 5 && System.nanoTime() < settleBy) {
      quiet = sims.stream().mapToInt(Simulator::queued).sum() == 0 ? quiet + 1 : 0;
      Thread.sleep(1_000);
    }
    if (quiet < 5) {
      say("  the load generator's queue did not drain; measuring anyway");
    }
    latencies.clear();
    timeline.clear();
    long ok0 = sims.stream().mapToLong(s -> s.heartbeatsOk.sum()).sum();
    long failed0 = sims.stream().mapToLong(s -> s.heartbeatsFailed.sum()).sum();
    long cpu0 = cpuTicks(pid);
    long t0 = System.nanoTime();
    recording = true;
    Thread.sleep(seconds * 1000L);
    recording = false;
    double wall = (System.nanoTime() - t0) / 1e9;
    long cpu1 = cpuTicks(pid);
    long ok = sims.stream().mapToLong(s -> s.heartbeatsOk.sum()).sum() - ok0;
    long failed = sims.stream().mapToLong(s -> s.heartbeatsFailed.sum()).sum() - failed0;
    Stats stats = new Stats(new ArrayList<>(latencies));
    Phase p =
        new Phase(
            ok / wall,
            stats.percentileMs(50),
            stats.percentileMs(99),
            (cpu1 - cpu0) / 100.0 / wall, // USER_HZ is 100 on Linux
            failed);
    say(
        "heartbeats every %s: %,.0f/s, p50 %.1f ms, p99 %.1f ms, node-discovery %.2f cores, %d failed",
        interval, p.rate, p.p50, p.p99, p.cpuCores, p.failed);
    // Where the tail lies: the slowest answer in each 5 s slice of the window.
    StringBuilder slices = new StringBuilder("  max per 5 s:");
    Map<Long, Long> max = new java.util.TreeMap<>();
    for (long[] t : timeline) {
      max.merge((t[0] - t0) / 5_000_000_000L, t[1], Math::max);
    }
    max.forEach((slice, nanos) -> slices.append(String.format(" %.0f", nanos / 1e6)));
    say("%s ms", slices);
    return p;
  }

  private Phase baseline(String base, int perSecond, int seconds) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + "/actuator/health/liveness")).GET().build();
    Collection<Long> nanos = new ConcurrentLinkedQueue<>();
    LongAdder done = new LongAdder();
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(128);
    ticks.scheduleAtFixedRate(
        () -> {
          long started = System.nanoTime();
          if (!inFlight.tryAcquire()) {
            return; // as the simulator does not, the baseline sheds rather than queues
          }
          http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    inFlight.release();
                    if (e == null) {
                      nanos.add(System.nanoTime() - started);
                      done.increment();
                    }
                  });
        },
        0,
        1_000_000 / perSecond,
        TimeUnit.MICROSECONDS);
    Thread.sleep(10_000); // a fresh client warms up, as the simulators did
    nanos.clear();
    done.reset();
    Thread.sleep(seconds * 1000L);
    ticks.shutdownNow();
    Stats s = new Stats(nanos);
    say(
        "baseline HTTP round trip at %d/s: p50 %.1f ms, p99 %.1f ms",
        perSecond, s.percentileMs(50), s.percentileMs(99));
    return new Phase(done.sum() / (double) seconds, s.percentileMs(50), s.percentileMs(99), 0, 0);
  }

  private Simulator simulator(String base, String token, Path dir, int nodes) throws IOException {
    return new Simulator(
        new Simulator.Options(
            base,
            token,
            nodes,
            new StateDir(dir),
            Duration.ofMillis(200),
            Duration.ofSeconds(2),
            0.0,
            Duration.ofSeconds(10),
            false,
            64,
            null),
        nanos -> {
          if (recording) {
            latencies.add(nanos);
            timeline.add(new long[] {System.nanoTime(), nanos});
          }
        });
  }

  // ---- helpers -----------------------------------------------------------------------------

  /**
   * What the service measured itself (Micrometer, over its last two minutes): p50, p99 and max of
   * handling a heartbeat, from the request's arrival to its answer, in milliseconds.
   */
  private static double[] serverHeartbeatTimes(String base) throws Exception {
    String uri =
        java.net.URLEncoder.encode("/agent/v1/nodes/{id}/heartbeat", StandardCharsets.UTF_8);
    tools.jackson.databind.json.JsonMapper json =
        tools.jackson.databind.json.JsonMapper.builder().build();
    double[] out = new double[3];
    String[] phis = {"0.5", "0.99"};
    for (int i = 0; i < 2; i++) {
      out[i] =
          json.readTree(
                      get(
                          base
                              + "/actuator/metrics/http.server.requests.percentile?tag=uri:"
                              + uri
                              + "&tag=phi:"
                              + phis[i]))
                  .get("measurements")
                  .get(0)
                  .get("value")
                  .asDouble()
              * 1000;
    }
    for (tools.jackson.databind.JsonNode m :
        json.readTree(get(base + "/actuator/metrics/http.server.requests?tag=uri:" + uri))
            .get("measurements")) {
      if (m.get("statistic").asString().equals("MAX")) {
        out[2] = m.get("value").asDouble() * 1000;
      }
    }
    return out;
  }

  private static String get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static Path serviceJar() throws IOException {
    return serviceJar("node-discovery");
  }

  /** A service's executable jar, built by {@code ./mvnw package}. */
  static Path serviceJar(String service) throws IOException {
    Path target = Path.of("services", service, "target");
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(target, "easel-" + service + "-*.jar")) {
      for (Path p : jars) {
        if (!p.getFileName().toString().endsWith("-plain.jar")) {
          return p.toAbsolutePath();
        }
      }
    }
    throw new IllegalStateException("build " + service + " first: no jar in " + target);
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  private static double rssMb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  static String token(String base) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/registration-tokens"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"bench\",\"ttlSeconds\":3600,\"maxUses\":100000}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("token refused: " + r.body());
    }
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(r.body())
        .get("token")
        .asString();
  }

  static void awaitHealthy(String base, Process service) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("node-discovery exited");
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node-discovery did not become healthy");
  }

  private static KafkaConsumer<String, byte[]> unreachableConsumer(String brokers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p);
    c.subscribe(List.of("easel.nodes.events"));
    long until = System.currentTimeMillis() + 30_000;
    while (c.assignment().isEmpty() && System.currentTimeMillis() < until) {
      c.poll(Duration.ofMillis(100));
    }
    return c;
  }

  private static void createTopics(String brokers, String... topics) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
      List<NewTopic> list = new ArrayList<>();
      for (String t : topics) {
        list.add(new NewTopic(t, 3, (short) 1));
      }
      admin.createTopics(list).all().get(30, TimeUnit.SECONDS);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void report() throws IOException {
    Map<String, String> goals =
        Map.of(
            "heartbeat_sustained_per_s", ">= 1000",
            "heartbeat_max_per_s", "stretch 5000",
            "heartbeat_p99_ms", "<= 50",
            "node_discovery_cpu_cores", "<= 1",
            "register_1000_s", "<= 30",
            "unreachable_detect_p99_s", "<= 45",
            "list_selective_p99_ms", "<= 50");
    results.forEach((k, v) -> say("%-32s %12.2f %14s", k, v, goals.getOrDefault(k, "")));
    Report.write("discovery", results);
  }

  private static void say(String format, Object... args) {
    Report.say(format, args);
  }
}
