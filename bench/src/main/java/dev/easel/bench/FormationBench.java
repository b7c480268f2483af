package dev.easel.bench;

import static dev.easel.bench.Report.say;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.simulate.Simulator;
import dev.easel.agent.simulate.StepKind;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The formation benchmark: node-discovery's and cluster-former's jars as their own processes on a
 * real broker and a durable PostgreSQL, and simulated agents whose steps take no time, so that what
 * is measured is Easel's own work: the saga, the plans, the broker round trips.
 *
 * <ul>
 *   <li>{@code formation_overhead_p50_ms}: one 3-node formation at a time, request to the {@code
 *       ClusterRunning} event;
 *   <li>{@code formations_100_s}: 100 formations of 3 nodes each, asked at once, on 300 nodes;
 *   <li>{@code formation_step_p99_ms}: cluster-former's own time to handle a batch of saga replies
 *       (the transition, the timeline and the events, in one transaction), from its metrics.
 * </ul>
 */
final class FormationBench {

  private static final int WARMUP = 3;
  private static final int SEQUENTIAL = 15;
  private static final int CONCURRENT = 100;
  private static final String PROFILE = "bench-appliance";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Long> settled = new ConcurrentHashMap<>();
  private final Map<String, String> outcome = new ConcurrentHashMap<>();
  private volatile boolean consuming = true;

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-formation")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE)) {
      pg.ensureDatabase("easel_nodes");
      pg.ensureDatabase("easel_clusters");
      BackboneBench.createTopics(
          kafka.bootstrapServers(),
          "easel.nodes.events",
          "easel.nodes.commands",
          "easel.clusters.events",
          "easel.clusters.replies",
          "easel.clusters.commands",
          "easel.packs.events");
      results.put("pg_fsync", "on".equals(pg.setting("fsync")));
      results.put("pg_synchronous_commit", pg.setting("synchronous_commit"));
      results.put("cores", Runtime.getRuntime().availableProcessors());
      List<Process> services = new ArrayList<>();
      try {
        int nodesPort = DiscoveryBench.freePort();
        String nodes = "http://127.0.0.1:" + nodesPort;
        services.add(
            launch(
                "node-discovery",
                work,
                pg,
                kafka,
                nodesPort,
                "easel_nodes",
                List.of("--easel.nodes.secret-key=" + key())));
        int clustersPort = DiscoveryBench.freePort();
        String clusters = "http://127.0.0.1:" + clustersPort;
        services.add(
            launch(
                "cluster-former",
                work,
                pg,
                kafka,
                clustersPort,
                "easel_clusters",
                List.of(
                    "--easel.clusters.secret-key=" + key(),
                    "--management.metrics.distribution.percentiles.easel.inbox.batch=0.5,0.99")));
        DiscoveryBench.awaitHealthy(nodes, services.get(0));
        DiscoveryBench.awaitHealthy(clusters, services.get(1));
        say(
            "node-discovery on %s, cluster-former on %s; broker %s; postgresql %d (fsync %s); %d"
                + " cores",
            nodes,
            clusters,
            kafka.bootstrapServers(),
            pg.port(),
            pg.setting("fsync"),
            Runtime.getRuntime().availableProcessors());
        publishProfile(kafka.bootstrapServers());
        Thread consumer = new Thread(() -> consume(kafka.bootstrapServers()), "bench-events");
        consumer.setDaemon(true);
        consumer.start();
        measure(nodes, clusters, work.path, results);
        consuming = false;
      } finally {
        for (Process p : services) {
          p.destroy();
          if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
    }
    Report.write("formation", results);
  }

  private void measure(String nodes, String clusters, Path work, Map<String, Object> results)
      throws Exception {
    int machines = 3 * (WARMUP + SEQUENTIAL + CONCURRENT);
    Map<StepKind, Duration> instant = new EnumMap<>(StepKind.class);
    for (StepKind k : StepKind.values()) {
      instant.put(k, Duration.ZERO);
    }
    try (Simulator fleet =
        new Simulator(
            new Simulator.Options(
                    nodes,
                    DiscoveryBench.token(nodes),
                    machines,
                    new StateDir(work.resolve("agents")),
                    Duration.ZERO,
                    Duration.ZERO,
                    0.0,
                    Duration.ofSeconds(10),
                    true,
                    32,
                    null)
                .withStepLatencies(instant),
            n -> {},
            "vsphere-vm")) {
      Duration took = fleet.registerAll();
      fleet.startHeartbeats();
      fleet.startPlans();
      List<UUID> ids = fleet.nodeIds();
      say(
          "%d simulated VMware VMs registered in %d ms; their steps take no time",
          ids.size(), took.toMillis());
      awaitKnown(clusters, ids.subList(ids.size() - 3, ids.size()));

      List<Long> sequential = new ArrayList<>();
      for (int i = 0; i < WARMUP + SEQUENTIAL; i++) {
        long t0 = System.nanoTime();
        String id = create(clusters, i, ids.subList(3 * i, 3 * i + 3));
        awaitSettled(List.of(id), Duration.ofMinutes(2));
        if (!"RUNNING".equals(outcome.get(id))) {
          throw new IllegalStateException("formation " + i + " ended " + outcome.get(id));
        }
        if (i >= WARMUP) {
          sequential.add(settled.get(id) - t0);
        }
      }
      Stats one = new Stats(sequential);
      say(
          "one 3-node formation at a time, request to ClusterRunning (%d runs): p50 %.0f ms, p99"
              + " %.0f ms",
          one.count(), one.percentileMs(50), one.percentileMs(99));
      results.put("formation_overhead_p50_ms", one.percentileMs(50));
      results.put("formation_overhead_p99_ms", one.percentileMs(99));

      int base = WARMUP + SEQUENTIAL;
      long t0 = System.nanoTime();
      List<CompletableFuture<String>> asked = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        int n = base + i;
        List<UUID> three = ids.subList(3 * n, 3 * n + 3);
        asked.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return create(clusters, n, three);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      List<String> created = new ArrayList<>();
      for (CompletableFuture<String> f : asked) {
        created.add(f.join());
      }
      awaitSettled(created, Duration.ofMinutes(5));
      long last = created.stream().mapToLong(settled::get).max().orElseThrow();
      double seconds = (last - t0) / 1e9;
      long running = created.stream().filter(id -> "RUNNING".equals(outcome.get(id))).count();
      say(
          "%d 3-node formations asked at once on %d nodes: all settled in %.1f s, %d RUNNING",
          CONCURRENT, 3 * CONCURRENT, seconds, running);
      if (running != CONCURRENT) {
        throw new IllegalStateException((CONCURRENT - running) + " formations did not run");
      }
      results.put("formations_100_s", seconds);

      double[] step = stepTimes(clusters);
      say(
          "cluster-former's own time per batch of saga replies (last two minutes): p50 %.1f ms,"
              + " p99 %.1f ms",
          step[0], step[1]);
      results.put("formation_step_p50_ms", step[0]);
      results.put("formation_step_p99_ms", step[1]);
    }
  }

  private String create(String clusters, int i, List<UUID> nodes) throws Exception {
    HttpResponse<String> r = post(clusters + "/api/v1/clusters", request(i, nodes).toString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("cluster " + i + " refused: " + r.body());
    }
    return JSON.readTree(r.body()).get("id").asString();
  }

  private static ObjectNode request(int i, List<UUID> nodes) {
    ObjectNode req = JSON.createObjectNode();
    req.put("name", "bench-" + i);
    req.put("kind", "workload");
    req.putObject("profile").put("name", PROFILE).put("version", "1.0.0");
    ObjectNode config = req.putObject("config");
    // Each cluster its own VIP, in the nodes' 10.0.0.0/16 and above their addresses.
    config.put("vip", "10.0." + (200 + i / 250) + "." + (1 + i % 250));
    config.put("storagePoolDevice", "/dev/sdb");
    config.put("csiPlacementCount", 3);
    config
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "bench-registry-password");
    var cp =
        req.putArray("nodePools")
            .addObject()
            .put("name", "control-plane-pool")
            .put("role", "control-plane")
            .putArray("nodes");
    nodes.forEach(n -> cp.add(n.toString()));
    return req;
  }

  /** Waits until cluster-former's copies of the nodes and the profile accept the last nodes. */
  private void awaitKnown(String clusters, List<UUID> last) throws Exception {
    String probe = request(9_999, last).toString();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode v = null;
    while (System.nanoTime() < deadline) {
      v = JSON.readTree(post(clusters + "/api/v1/clusters/validate", probe).body());
      if (v.get("valid").asBoolean()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "cluster-former did not accept the nodes in 2 minutes: " + v.get("problems"));
  }

  private void awaitSettled(List<String> ids, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (ids.stream().allMatch(settled::containsKey)) {
        return;
      }
      Thread.sleep(2);
    }
    throw new IllegalStateException(
        ids.stream().filter(id -> !settled.containsKey(id)).count()
            + " formation(s) did not settle within "
            + wait);
  }

  /** Records when each cluster's ClusterRunning or ClusterFailed arrives. */
  private void consume(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-formation-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of("easel.clusters.events"));
      while (consuming) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
          Header type = r.headers().lastHeader("ce_type");
          if (type == null) {
            continue;
          }
          String t = new String(type.value(), StandardCharsets.UTF_8);
          if (t.endsWith(".ClusterRunning.v1") || t.endsWith(".ClusterFailed.v1")) {
            long now = System.nanoTime();
            String id = JSON.readTree(r.value()).get("clusterId").asString();
            outcome.put(id, t.endsWith(".ClusterRunning.v1") ? "RUNNING" : "FAILED");
            settled.putIfAbsent(id, now);
          }
        }
      }
    }
  }

  private double[] stepTimes(String clusters) throws Exception {
    double[] out = new double[2];
    String[] phis = {"0.5", "0.99"};
    for (int i = 0; i < 2; i++) {
      String body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              clusters
                                  + "/actuator/metrics/easel.inbox.batch.percentile?tag=consumer:"
                                  + "saga-replies&tag=phi:"
                                  + phis[i]))
                      .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      out[i] = JSON.readTree(body).get("measurements").get(0).get("value").asDouble() * 1000;
    }
    return out;
  }

  private void publishProfile(String bootstrap) throws Exception {
    Path packs = Path.of("services", "pack-manager", "src", "main", "resources", "packs");
    ProfilePublished profile =
        new ProfilePublished(
            PROFILE,
            "1.0.0",
            "the appliance's packs, as shipped",
            "full",
            "edge-native",
            List.of(
                layer(packs, "os", "kairos-ubuntu", "22.4.0"),
                layer(packs, "k8s", "pxk-e", "1.32.3"),
                layer(packs, "cni", "cni-calico", "3.29.2"),
                layer(packs, "csi", "csi-piraeus", "2.8.1"),
                layer(packs, "addon", "zot", "0.1.67")),
            List.of(),
            Instant.now());
    try (KafkaProducer<String, byte[]> producer = KafkaClients.producer(bootstrap)) {
      producer
          .send(
              KafkaClients.cloudEvent(
                  "easel.packs.events",
                  PROFILE,
                  UUID.randomUUID().toString(),
                  "dev.easel.packs.ProfilePublished.v1",
                  JSON.writeValueAsString(profile),
                  Map.of()))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static ProfilePublished.ResolvedLayer layer(
      Path packs, String layer, String name, String version) throws IOException {
    return new ProfilePublished.ResolvedLayer(
        "pack",
        layer,
        name,
        version,
        "internal",
        "127.0.0.1:5000/spectro-packs/archive/" + name,
        "sha256:" + "0".repeat(64),
        Files.readString(packs.resolve(name + "-" + version).resolve("values.yaml")),
        List.of(),
        List.of(),
        List.of());
  }

  /** A service's jar as its own process, on the benchmark's broker and PostgreSQL. */
  static Process launch(
      String service,
      WorkDir work,
      PostgresServer pg,
      KraftBroker kafka,
      int port,
      String database,
      List<String> extra)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-jar");
    cmd.add(DiscoveryBench.serviceJar(service).toString());
    cmd.add("--server.port=" + port);
    cmd.add("--spring.datasource.url=" + pg.jdbcUrl(database));
    cmd.add("--spring.datasource.username=" + pg.username());
    cmd.add("--spring.datasource.password=" + pg.password());
    cmd.add("--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers());
    cmd.add(TestIdentity.commandLineArgument());
    cmd.addAll(extra);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(service + ".log").toFile())
        .start();
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A random 256-bit secret key, base64. */
  static String key() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b);
  }
}
