package dev.easel.bench;

import static dev.easel.bench.Report.say;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.simulate.Simulator;
import dev.easel.agent.simulate.StepKind;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.RunningS3;
import dev.easel.testing.TestIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Velero backups (issue #14) on the compliance benchmark's services, against a real S3 server
 * (S3Proxy in this JVM):
 *
 * <ul>
 *   <li>{@code backup_sync_10k_s}: a bucket holding {@value #IN_BUCKET} Velero backups (each one's
 *       {@code velero-backup.json}, contents tarball and log, written straight into the bucket by
 *       {@value #WRITERS} threads), added as a new location and synced: the wall clock of {@code
 *       POST /api/v1/backup-locations/{id}/sync}, which must list and add all of them; the median
 *       of {@value #SYNC_RUNS} runs, each on a location of its own, deleted afterwards. {@code
 *       backup_resync_10k_s} syncs the last one again with nothing changed. When the sync misses
 *       its goal, where the time goes: an extra sync while compliance's threads are sampled ({@code
 *       /actuator/threaddump}), by what the request's thread was doing, and the same listing and
 *       reads done from here, which is what the S3 server alone costs;
 *   <li>{@code backup_overhead_ms}: Easel's own time for a backup, its Velero taking no time: one
 *       backup at a time of a simulated one-node cluster, from the request to its {@code
 *       BackupCompleted} arriving here, median and p95 of {@value #SEQUENTIAL} after {@value
 *       #WARMUP} that warm up. Against it, a one-step plan sent from here to node-discovery and
 *       answered with {@code PlanFinished} ({@code plan_round_trip_ms}): a backup is at least two
 *       such round trips, the plan that starts Velero and one that reads its status. Where its time
 *       goes, from the plans' events ({@code backup_phase_*_ms}).
 * </ul>
 *
 * <p>It runs after the scheduled scans, which announced the clusters' profile and the Third Party
 * Pack that offers {@code backup-restore}.
 */
final class BackupBench {

  private static final int IN_BUCKET = 10_000;
  private static final int WRITERS = 16;
  private static final int SYNC_RUNS = 3;
  private static final double SYNC_GOAL_S = 10;
  private static final int WARMUP = 2;
  private static final int SEQUENTIAL = 20;
  private static final int PLAN_WARMUP = 5;
  private static final int PLAN_RUNS = 20;

  /** Clusters the bucket's backups made by Easel say they are of. */
  private static final int SITES = 20;

  private static final String PREFIX = "velero/fleet";
  private static final String FEATURE = "backup-restore";
  private static final String PROFILE = "bench-appliance";
  private static final String REPLIES = "easel.bench.replies";
  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(10);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry CONTRACTS = ContractRegistry.withShipped(List.of());

  private final Map<String, Object> results;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What arrived on the broker, and when (System.nanoTime()). */
  private final Map<String, Long> plansFinished = new ConcurrentHashMap<>();

  private final Map<String, Long> backupsEnded = new ConcurrentHashMap<>();
  private final Map<String, String> backupFailures = new ConcurrentHashMap<>();
  private final Set<String> enabled = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> discovered = new ConcurrentHashMap<>();
  private final Map<String, Long> lastDiscovered = new ConcurrentHashMap<>();

  /**
   * When node-discovery queued and completed each backup plan, and when compliance completed each
   * backup, by their own clocks (the events' {@code at}; every process here shares the machine's).
   */
  private final Map<String, Instant> planQueuedAt = new ConcurrentHashMap<>();

  private final Map<String, Instant> planCompletedAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> backupCompletedAt = new ConcurrentHashMap<>();
  private final Map<String, Instant> backupArrivedAt = new ConcurrentHashMap<>();

  BackupBench(Map<String, Object> results) {
    this.results = results;
    // The S3 client here is the JDK's HttpURLConnection, which keeps 5 idle connections to a
    // server by default: the other writers' connections would be closed after every request,
    // and 30,000 requests would leave as many sockets in TIME_WAIT. Read once, at first use.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", String.valueOf(2 * WRITERS));
    }
  }

  /**
   * The compliance service's arguments this part needs: status reads every 200 ms, no periodic
   * sync, and thread dumps through the actuator.
   */
  static List<String> complianceArguments() {
    return List.of(
        "--easel.compliance.backups.poll-interval=200ms",
        // Syncs here are asked for: a periodic one landing on a location first would find the
        // backups already added, and hold the location's lock during a timed one.
        "--easel.compliance.backups.sync-interval=1h",
        "--management.endpoints.web.exposure.include=health,info,metrics,threaddump");
  }

  /** Called by the benchmark's consumer for every event and reply, as it arrives. */
  void seen(String type, JsonNode e) {
    long now = System.nanoTime();
    if (type.endsWith(".PlanFinished.v1")) {
      plansFinished.putIfAbsent(e.path("planId").asString(""), now);
    } else if (type.endsWith(".PlanQueued.v1") || type.endsWith(".PlanCompleted.v1")) {
      String plan = e.path("planId").asString("");
      Instant at = instant(e.path("at"));
      if (plan.startsWith("backup-") && at != null) {
        (type.endsWith(".PlanQueued.v1") ? planQueuedAt : planCompletedAt).putIfAbsent(plan, at);
      }
    } else if (type.endsWith(".FeatureEnabled.v1")) {
      enabled.add(e.path("clusterId").asString("") + "/" + e.path("feature").asString(""));
    } else if (type.endsWith(".BackupCompleted.v1")) {
      String id = e.path("backupId").asString("");
      Instant at = instant(e.path("at"));
      if (at != null) {
        backupCompletedAt.putIfAbsent(id, at);
      }
      backupArrivedAt.putIfAbsent(id, Instant.now());
      backupsEnded.putIfAbsent(id, now);
    } else if (type.endsWith(".BackupFailed.v1")) {
      String id = e.path("backupId").asString("");
      backupFailures.putIfAbsent(id, e.path("reason").asString(""));
      backupsEnded.putIfAbsent(id, now);
    } else if (type.endsWith(".BackupDiscovered.v1")) {
      String location = e.path("locationId").asString("");
      discovered.computeIfAbsent(location, k -> new AtomicInteger()).incrementAndGet();
      lastDiscovered.put(location, now);
    }
  }

  /** An event's time: an ISO-8601 string, or seconds since the epoch; null when it has none. */
  private static Instant instant(JsonNode at) {
    if (at.isNumber()) {
      return Instant.ofEpochSecond(0, Math.round(at.asDouble() * 1e9));
    }
    try {
      return Instant.parse(at.asString(""));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  void run(
      WorkDir work,
      String nodes,
      String compliance,
      KafkaProducer<String, byte[]> producer,
      Process complianceProcess)
      throws Exception {
    RunningS3 s3 = startS3();
    say("S3Proxy on %s", s3.endpoint());
    try (S3Client client = s3.client()) {
      overhead(work, nodes, compliance, producer, s3);
      sync(compliance, s3, client);
    }
    if (!complianceProcess.isAlive()) {
      throw new IllegalStateException("compliance exited during the backup benchmark");
    }
  }

  /**
   * The shared S3Proxy, whose jar outside surefire is found in the local Maven repository, where
   * libs/testing's build put it.
   */
  private static RunningS3 startS3() {
    // S3Proxy's Logback would print its configuration's status on this output: it warns of an
    // appender its file defines and does not use.
    if (System.getProperty("logback.statusListenerClass") == null) {
      System.setProperty(
          "logback.statusListenerClass", "ch.qos.logback.core.status.NopStatusListener");
    }
    if (System.getProperty(RunningS3.JAR_PROPERTY) == null) {
      String repo = System.getProperty("maven.repo.local");
      Path base =
          repo != null
              ? Path.of(repo)
              : Path.of(System.getProperty("user.home"), ".m2", "repository");
      Path jar =
          base.resolve(
              Path.of(
                  "org", "gaul", "s3proxy", "2.6.0", "s3proxy-2.6.0-jar-with-dependencies.jar"));
      if (Files.isRegularFile(jar)) {
        System.setProperty(RunningS3.JAR_PROPERTY, jar.toString());
      }
    }
    return RunningS3.shared();
  }

  // ---- one backup at a time, Velero taking no time ---------------------------------------------

  private void overhead(
      WorkDir work,
      String nodes,
      String compliance,
      KafkaProducer<String, byte[]> producer,
      RunningS3 s3)
      throws Exception {
    Map<StepKind, Duration> instant = new EnumMap<>(StepKind.class);
    for (StepKind k : StepKind.values()) {
      instant.put(k, Duration.ZERO);
    }
    try (Simulator agent =
        new Simulator(
            new Simulator.Options(
                    nodes,
                    DiscoveryBench.token(nodes),
                    1,
                    new StateDir(work.resolve("backup-agent")),
                    Duration.ZERO,
                    Duration.ZERO,
                    0.0,
                    Duration.ofSeconds(10),
                    true,
                    1,
                    null)
                .withStepLatencies(instant)
                .withVeleroDuration(Duration.ZERO),
            n -> {},
            "vsphere-vm")) {
      agent.registerAll();
      agent.startHeartbeats();
      agent.startPlans();
      UUID node = agent.nodeIds().get(0);

      // The baseline first, on the same node, while nothing else runs.
      List<Long> plans = new ArrayList<>();
      for (int i = 0; i < PLAN_WARMUP + PLAN_RUNS; i++) {
        long took = planRoundTrip(producer, node, i);
        if (i >= PLAN_WARMUP) {
          plans.add(took);
        }
      }
      Stats plan = new Stats(plans);
      say(
          "a one-step plan from here to node-discovery and its PlanFinished back (%d runs): p50"
              + " %.0f ms, p95 %.0f ms",
          plan.count(), plan.percentileMs(50), plan.percentileMs(95));

      UUID cluster = UUID.randomUUID();
      ComplianceBench.publish(
          producer,
          "easel.clusters.events",
          cluster.toString(),
          new ClusterRunning(
              cluster,
              "bench-backup",
              "workload",
              List.of(node),
              List.of(
                  new ClusterRunning.ClusterMember(
                      node, "bench-backup-0", "control-plane", "init")),
              PROFILE,
              "1.0.0",
              Instant.now()));
      awaitFeatureAvailable(compliance, cluster);
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          call(
              "PUT",
              compliance + "/api/v1/clusters/" + cluster + "/compliance/features/" + FEATURE);
      if (r.statusCode() != 202 && r.statusCode() != 200) {
        throw new IllegalStateException("enabling " + FEATURE + " refused: " + r.body());
      }
      awaitTrue(() -> enabled.contains(cluster + "/" + FEATURE), "FeatureEnabled " + FEATURE);
      say(
          "%s enabled on a one-node cluster in %d ms",
          FEATURE, (System.nanoTime() - t0) / 1_000_000);

      String bucket = s3.newBucket();
      r = call("POST", compliance + "/api/v1/backup-locations", locationBody("bench", bucket, s3));
      if (r.statusCode() != 201) {
        throw new IllegalStateException("location refused: " + r.statusCode() + " " + r.body());
      }

      List<Long> backups = new ArrayList<>();
      Map<String, Instant> requested = new LinkedHashMap<>();
      String lastId = null;
      for (int i = 0; i < WARMUP + SEQUENTIAL; i++) {
        Instant asked = Instant.now();
        long start = System.nanoTime();
        r =
            call(
                "POST",
                compliance + "/api/v1/clusters/" + cluster + "/backups",
                "{\"location\":\"bench\"}");
        if (r.statusCode() != 202) {
          throw new IllegalStateException("backup " + i + " refused: " + r.body());
        }
        String id = JSON.readTree(r.body()).get("id").asString();
        awaitTrue(() -> backupsEnded.containsKey(id), "backup " + i + " to end");
        if (backupFailures.containsKey(id)) {
          throw new IllegalStateException("backup " + i + " failed: " + backupFailures.get(id));
        }
        if (i >= WARMUP) {
          backups.add(backupsEnded.get(id) - start);
          requested.put(id, asked);
        }
        lastId = id;
      }
      JsonNode last = JSON.readTree(call("GET", compliance + "/api/v1/backups/" + lastId).body());
      if (!"Completed".equals(last.path("state").asString(""))) {
        throw new IllegalStateException("the last backup is " + last);
      }
      Stats backup = new Stats(backups);
      double ratio = backup.percentileMs(50) / plan.percentileMs(50);
      results.put("backup_overhead_ms", backup.percentileMs(50));
      results.put("backup_overhead_p95_ms", backup.percentileMs(95));
      results.put("plan_round_trip_ms", plan.percentileMs(50));
      results.put("plan_round_trip_p95_ms", plan.percentileMs(95));
      results.put("backup_overhead_vs_plan", ratio);
      say(
          "one backup at a time, Velero taking no time (%d runs after %d warm-ups), request to"
              + " BackupCompleted: p50 %.0f ms, p95 %.0f ms; %.1f plan round trips",
          backup.count(), WARMUP, backup.percentileMs(50), backup.percentileMs(95), ratio);
      backupPhases(requested);
    }
  }

  /**
   * Where a backup's time goes, by the plans' and the backup's own events: the medians of each step
   * from the request to BackupCompleted arriving here.
   */
  private void backupPhases(Map<String, Instant> requested) throws InterruptedException {
    // node-discovery's events are relayed after its commits: give the last ones a moment.
    Thread.sleep(2_000);
    Map<String, List<Long>> phases = new LinkedHashMap<>();
    List<Long> reads = new ArrayList<>();
    String[] names = {
      "request to the create plan queued",
      "create plan, queued to completed",
      "create plan completed to the first status read queued",
      "status reads, first queued to last completed",
      "last status read completed to BackupCompleted",
      "BackupCompleted relayed to here"
    };
    for (String n : names) {
      phases.put(n, new ArrayList<>());
    }
    requested.forEach(
        (id, asked) -> {
          String create = "backup-" + id;
          List<String> status =
              planQueuedAt.keySet().stream()
                  .filter(p -> p.startsWith(create + "-status-"))
                  .sorted(
                      (a, b) ->
                          Integer.compare(
                              Integer.parseInt(a.substring(a.lastIndexOf('-') + 1)),
                              Integer.parseInt(b.substring(b.lastIndexOf('-') + 1))))
                  .toList();
          Instant completed = backupCompletedAt.get(id);
          if (status.isEmpty()
              || completed == null
              || !planQueuedAt.containsKey(create)
              || !planCompletedAt.containsKey(create)
              || !planCompletedAt.containsKey(status.get(status.size() - 1))) {
            return;
          }
          String first = status.get(0);
          String lastRead = status.get(status.size() - 1);
          Instant[] marks = {
            asked,
            planQueuedAt.get(create),
            planCompletedAt.get(create),
            planQueuedAt.get(first),
            planCompletedAt.get(lastRead),
            completed,
            backupArrivedAt.get(id)
          };
          for (int i = 0; i < marks.length - 1; i++) {
            phases.get(names[i]).add(Duration.between(marks[i], marks[i + 1]).toNanos());
          }
          reads.add((long) status.size());
        });
    if (reads.isEmpty()) {
      say("  (node-discovery's plan events did not arrive: no breakdown)");
      return;
    }
    say("  where a backup's time goes (medians of %d):", reads.size());
    String[] keys = {
      "backup_phase_create_queued_ms",
      "backup_phase_create_plan_ms",
      "backup_phase_to_status_queued_ms",
      "backup_phase_status_reads_ms",
      "backup_phase_to_completed_ms",
      "backup_phase_relay_ms"
    };
    for (int i = 0; i < names.length; i++) {
      double ms = new Stats(phases.get(names[i])).percentileMs(50);
      results.put(keys[i], ms);
      say("    %6.0f ms  %s", ms, names[i]);
    }
    double median = ComplianceBench.median(reads.stream().map(Long::doubleValue).toList());
    results.put("backup_status_reads", median);
    say("    status reads per backup: %.0f (median)", median);
  }

  /** Sends a one-step plan as compliance does, and waits for its PlanFinished. */
  private long planRoundTrip(KafkaProducer<String, byte[]> producer, UUID node, int i)
      throws Exception {
    String planId = "bench-round-trip-" + i + "-" + UUID.randomUUID();
    PlanStep step = new PlanStep("noop", "nothing", "true", null, null, 60, 0, null, null);
    long t0 = System.nanoTime();
    producer
        .send(
            KafkaClients.cloudEvent(
                "easel.nodes.commands",
                node.toString(),
                UUID.randomUUID().toString(),
                CONTRACTS.typeOf(RunPlan.class),
                JSON.writeValueAsString(new RunPlan(node, planId, "bench", List.of(step), true)),
                "/easel/compliance",
                Map.of("requestid", planId, "replyto", REPLIES)))
        .get(30, TimeUnit.SECONDS);
    awaitTrue(() -> plansFinished.containsKey(planId), "PlanFinished of " + planId);
    return plansFinished.get(planId) - t0;
  }

  private void awaitFeatureAvailable(String compliance, UUID cluster) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          call("GET", compliance + "/api/v1/clusters/" + cluster + "/compliance/features");
      last = r.body();
      if (r.statusCode() == 200) {
        for (JsonNode f : JSON.readTree(r.body()).path("features")) {
          if (FEATURE.equals(f.path("feature").asString(""))
              && f.path("available").asBoolean(false)) {
            return;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(FEATURE + " is not offered on the cluster: " + last);
  }

  // ---- a sync of 10,000 backups ----------------------------------------------------------------

  private void sync(String compliance, RunningS3 s3, S3Client client) throws Exception {
    String bucket = s3.newBucket();
    double writing = fill(client, bucket);
    results.put("backup_bucket_write_s", writing);
    say(
        "%,d Velero backups (%,d objects) written into bucket %s by %d threads in %.1f s",
        IN_BUCKET, 3 * IN_BUCKET, bucket, WRITERS, writing);

    List<Double> syncs = new ArrayList<>();
    List<Double> events = new ArrayList<>();
    List<Double> resyncs = new ArrayList<>();
    for (int run = 1; run <= SYNC_RUNS; run++) {
      String id = addLocation(compliance, s3, bucket, "fleet-" + run);
      long t0 = System.nanoTime();
      JsonNode result = syncNow(compliance, id);
      long t1 = System.nanoTime();
      expect(result, IN_BUCKET, IN_BUCKET);
      double seconds = (t1 - t0) / 1e9;
      syncs.add(seconds);
      awaitTrue(
          () -> discovered.getOrDefault(id, new AtomicInteger()).get() >= IN_BUCKET,
          IN_BUCKET + " BackupDiscovered of location " + id,
          Duration.ofMinutes(5));
      double relayed = (lastDiscovered.get(id) - t1) / 1e9;
      events.add(relayed);
      say(
          "run %d: synced %,d backups in %.2f s (listed %d, read %d, added %d); their %,d"
              + " BackupDiscovered all arrived %.2f s after",
          run,
          IN_BUCKET,
          seconds,
          result.path("listed").asInt(),
          result.path("read").asInt(),
          result.path("added").asInt(),
          IN_BUCKET,
          relayed);
      if (run == SYNC_RUNS) {
        for (int again = 1; again <= SYNC_RUNS; again++) {
          long a = System.nanoTime();
          JsonNode same = syncNow(compliance, id);
          double s = (System.nanoTime() - a) / 1e9;
          expect(same, IN_BUCKET, 0);
          if (same.path("read").asInt(-1) != 0 || same.path("removed").asInt(-1) != 0) {
            throw new IllegalStateException("a sync with nothing changed did " + same);
          }
          resyncs.add(s);
          say("  the same location again, nothing changed: %.2f s", s);
        }
      }
      deleteLocation(compliance, id);
    }
    double median = ComplianceBench.median(syncs);
    results.put("backup_sync_10k_s", median);
    results.put("backup_resync_10k_s", ComplianceBench.median(resyncs));
    results.put("backup_sync_events_s", ComplianceBench.median(events));
    say(
        "sync of %,d backups (median of %d): %.2f s, %,.0f backups/s; again with nothing changed"
            + " %.2f s; BackupDiscovered all relayed %.2f s after the sync answered",
        IN_BUCKET,
        SYNC_RUNS,
        median,
        IN_BUCKET / median,
        ComplianceBench.median(resyncs),
        ComplianceBench.median(events));
    if (median > SYNC_GOAL_S) {
      whereTheTimeGoes(compliance, s3, client, bucket);
    }
  }

  /**
   * The same sync once more, with compliance's threads sampled, and what the S3 server alone takes
   * to list the bucket and read every backup's file from here, as the sync does.
   */
  private void whereTheTimeGoes(String compliance, RunningS3 s3, S3Client client, String bucket)
      throws Exception {
    String id = addLocation(compliance, s3, bucket, "fleet-profiled");
    ThreadSampler sampler = new ThreadSampler(compliance);
    Thread thread = new Thread(sampler, "bench-thread-dumps");
    thread.setDaemon(true);
    long t0 = System.nanoTime();
    thread.start();
    JsonNode result;
    try {
      result = syncNow(compliance, id);
    } finally {
      sampler.on = false;
      thread.join();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    expect(result, IN_BUCKET, IN_BUCKET);
    deleteLocation(compliance, id);
    int all = sampler.phases.values().stream().mapToInt(AtomicInteger::get).sum();
    say(
        "where a sync's time goes: compliance's request thread, sampled %d times in a sync of"
            + " %.2f s (slowed by the sampling), was",
        all, seconds);
    sampler.phases.entrySet().stream()
        .sorted((a, b) -> b.getValue().get() - a.getValue().get())
        .forEach(
            e -> {
              double share = all == 0 ? 0 : (double) e.getValue().get() / all;
              say("  %5.1f%%  %s", 100 * share, e.getKey());
              results.put("backup_sync_share_" + e.getKey().replace(' ', '_'), share);
            });
    if (sampler.readingSamples.get() > 0) {
      double inFlight = (double) sampler.readsInFlight.get() / sampler.readingSamples.get();
      results.put("backup_sync_reads_in_flight", inFlight);
      say("  while it waited for the reads, %.1f of them were in flight on average", inFlight);
    }

    String prefix = PREFIX + "/backups/";
    long l0 = System.nanoTime();
    List<String> metadata = new ArrayList<>();
    int objects = 0;
    for (S3Object o :
        client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
      objects++;
      if (o.key().endsWith("/velero-backup.json")) {
        metadata.add(o.key());
      }
    }
    double listing = (System.nanoTime() - l0) / 1e9;
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    long g0 = System.nanoTime();
    try {
      List<Callable<Void>> reads = new ArrayList<>();
      for (String key : metadata) {
        reads.add(
            () -> {
              client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
              return null;
            });
      }
      all(pool, reads);
    } finally {
      pool.shutdownNow();
    }
    double reading = (System.nanoTime() - g0) / 1e9;
    results.put("backup_s3_list_s", listing);
    results.put("backup_s3_get_10k_s", reading);
    say(
        "  the S3 server alone, from here: listing %,d objects %.2f s; reading the %,d"
            + " velero-backup.json, %d at a time, %.2f s",
        objects, listing, metadata.size(), WRITERS, reading);
  }

  private String addLocation(String compliance, RunningS3 s3, String bucket, String name)
      throws Exception {
    HttpResponse<String> r =
        call("POST", compliance + "/api/v1/backup-locations", locationBody(name, bucket, s3));
    if (r.statusCode() != 201) {
      throw new IllegalStateException("location refused: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body()).get("id").asString();
  }

  private JsonNode syncNow(String compliance, String id) throws Exception {
    HttpResponse<String> r =
        send("POST", compliance + "/api/v1/backup-locations/" + id + "/sync", null, SYNC_TIMEOUT);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("sync refused: " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  private void deleteLocation(String compliance, String id) throws Exception {
    HttpResponse<String> r = call("DELETE", compliance + "/api/v1/backup-locations/" + id);
    if (r.statusCode() != 204) {
      throw new IllegalStateException("location not deleted: " + r.statusCode() + " " + r.body());
    }
  }

  private static void expect(JsonNode result, int listed, int added) {
    if (result.path("listed").asInt(-1) != listed
        || result.path("added").asInt(-1) != added
        || result.path("unreadable").asInt(-1) != 0) {
      throw new IllegalStateException(
          "the sync answered " + result + ", not listed " + listed + " and added " + added);
    }
  }

  private static String locationBody(String name, String bucket, RunningS3 s3) {
    ObjectNode b = JSON.createObjectNode();
    b.put("name", name);
    b.put("provider", "minio");
    b.put("bucket", bucket);
    b.put("prefix", name.startsWith("fleet") ? PREFIX : "velero/" + name);
    b.put("region", "us-east-1");
    b.put("endpoint", s3.endpoint());
    b.put("s3ForcePathStyle", true);
    b.putObject("credentials")
        .put("accessKeyId", s3.accessKey())
        .put("secretAccessKey", s3.secretKey());
    return b.toString();
  }

  /**
   * Writes the backups' objects, as Velero lays them out: half made by Velero's own daily schedule,
   * half by an Easel appliance (with its labels), one a minute going back a week, none expired.
   */
  private static double fill(S3Client client, String bucket) throws Exception {
    Instant newest = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    byte[] log = gzip(logText());
    byte[] contents = gzip("backup contents placeholder\n".repeat(40));
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    long t0 = System.nanoTime();
    try {
      List<Callable<Void>> puts = new ArrayList<>();
      for (int i = 0; i < IN_BUCKET; i++) {
        int n = i;
        puts.add(
            () -> {
              Instant created = newest.minus(Duration.ofMinutes(n));
              ObjectNode backup = veleroBackup(n, created);
              String name = backup.path("metadata").path("name").asString();
              String dir = PREFIX + "/backups/" + name + "/";
              client.putObject(
                  b -> b.bucket(bucket).key(dir + name + ".tar.gz"),
                  RequestBody.fromBytes(contents));
              client.putObject(
                  b -> b.bucket(bucket).key(dir + name + "-logs.gz"), RequestBody.fromBytes(log));
              // Last, as Velero writes it: a backup is in the bucket once its metadata is.
              client.putObject(
                  b -> b.bucket(bucket).key(dir + "velero-backup.json"),
                  RequestBody.fromBytes(JSON.writeValueAsBytes(backup)));
              return null;
            });
      }
      all(pool, puts);
    } finally {
      pool.shutdownNow();
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The {@code n}-th backup's custom resource, as Velero 1.15 writes {@code velero-backup.json}.
   */
  private static ObjectNode veleroBackup(int n, Instant created) {
    boolean easel = n % 2 == 0;
    String stamp = STAMP.format(created);
    int site = n % SITES;
    UUID cluster = UUID.nameUUIDFromBytes(("bench-site-" + site).getBytes(UTF_8));
    UUID backupId = UUID.nameUUIDFromBytes(("bench-backup-" + n).getBytes(UTF_8));
    String name =
        easel
            ? "easel-bench-site-" + site + "-" + stamp + "-" + backupId.toString().substring(0, 4)
            : "daily-" + stamp;
    String location = easel ? "easel-fleet" : "default";
    long items = 400 + (n * 37L) % 2_600;
    Instant started = created.plusSeconds(1);
    Instant completed = started.plusSeconds(20 + n % 90);

    ObjectNode b = JSON.createObjectNode();
    b.put("kind", "Backup");
    b.put("apiVersion", "velero.io/v1");
    ObjectNode metadata = b.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", "velero");
    metadata.put("uid", UUID.nameUUIDFromBytes(name.getBytes(UTF_8)).toString());
    metadata.put("resourceVersion", String.valueOf(1_000_000 + 7L * n));
    metadata.put("generation", 7);
    metadata.put("creationTimestamp", created.toString());
    ObjectNode labels = metadata.putObject("labels");
    if (easel) {
      labels.put("easel.dev/backup-id", backupId.toString());
      labels.put("easel.dev/cluster-id", cluster.toString());
    } else {
      labels.put("velero.io/schedule-name", "daily");
    }
    labels.put("velero.io/storage-location", location);
    ObjectNode annotations = metadata.putObject("annotations");
    annotations.put("velero.io/resource-timeout", "10m0s");
    annotations.put("velero.io/source-cluster-k8s-gitversion", "v1.32.3+k3s1");
    annotations.put("velero.io/source-cluster-k8s-major-version", "1");
    annotations.put("velero.io/source-cluster-k8s-minor-version", "32");

    ObjectNode spec = b.putObject("spec");
    spec.putObject("metadata");
    var included = spec.putArray("includedNamespaces");
    if (easel) {
      included.add("*");
    } else {
      included.add("shop").add("billing").add("easel-apps");
    }
    spec.putArray("excludedNamespaces");
    spec.put("ttl", "720h0m0s");
    spec.putObject("hooks");
    spec.put("storageLocation", location);
    spec.putArray("volumeSnapshotLocations").add("default");
    spec.put("defaultVolumesToFsBackup", false);
    spec.put("snapshotMoveData", false);
    spec.put("csiSnapshotTimeout", "10m0s");
    spec.put("itemOperationTimeout", "4h0m0s");

    ObjectNode status = b.putObject("status");
    status.put("version", 1);
    status.put("formatVersion", "1.1.0");
    status.put("expiration", created.plus(Duration.ofHours(720)).toString());
    status.put("phase", "Completed");
    status.put("startTimestamp", started.toString());
    status.put("completionTimestamp", completed.toString());
    status.putObject("progress").put("totalItems", items).put("itemsBackedUp", items);
    status.putObject("hookStatus");
    return b;
  }

  private static String logText() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      s.append("time=\"2026-11-26T10:00:")
          .append(String.format("%02d", i))
          .append("Z\" level=info msg=\"Backed up ")
          .append(i)
          .append(" items out of an estimated total of 30\" backup=velero/bench")
          .append(" logSource=\"pkg/backup/backup.go:456\" progress=\n");
    }
    return s.toString();
  }

  private static byte[] gzip(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  // ---- what compliance's threads do during a sync ----------------------------------------------

  /**
   * Samples {@code /actuator/threaddump} every 100 ms: what the thread answering the sync is doing,
   * and how many of its reads are in flight.
   */
  private final class ThreadSampler implements Runnable {

    final Map<String, AtomicInteger> phases = new TreeMap<>();
    final AtomicInteger readingSamples = new AtomicInteger();
    final AtomicInteger readsInFlight = new AtomicInteger();
    volatile boolean on = true;
    private final String compliance;

    ThreadSampler(String compliance) {
      this.compliance = compliance;
    }

    @Override
    public void run() {
      while (on) {
        try {
          sample();
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          say("  thread dump failed: %s", e);
          return;
        }
      }
    }

    private void sample() throws Exception {
      HttpResponse<String> r = call("GET", compliance + "/actuator/threaddump");
      if (r.statusCode() != 200) {
        throw new IllegalStateException("threaddump: " + r.statusCode() + " " + r.body());
      }
      String phase = null;
      int reads = 0;
      for (JsonNode t : JSON.readTree(r.body()).path("threads")) {
        List<String> frames = new ArrayList<>();
        for (JsonNode f : t.path("stackTrace")) {
          String cls = f.path("className").asString("");
          frames.add(
              cls.substring(cls.lastIndexOf('.') + 1) + "." + f.path("methodName").asString(""));
        }
        if (frames.contains("BackupSync.sync")) {
          phase = phase(frames);
        } else if (frames.contains("S3ObjectStore.read")) {
          reads++;
        }
      }
      if (phase == null) {
        return; // the request has not reached the service yet, or has answered
      }
      synchronized (phases) {
        phases.computeIfAbsent(phase, k -> new AtomicInteger()).incrementAndGet();
      }
      if (phase.equals("waiting for reads")) {
        readingSamples.incrementAndGet();
        readsInFlight.addAndGet(reads);
      }
    }
  }

  /** What a thread inside {@code BackupSync.sync} is doing, by the frames on its stack. */
  private static String phase(List<String> frames) {
    if (frames.stream().anyMatch(f -> f.startsWith("JdbcOutbox"))) {
      return "outbox rows";
    }
    if (frames.contains("JdbcBackupStore.insertBackups")) {
      return "inserting backups";
    }
    if (frames.contains("JdbcBackupStore.known")) {
      return "reading known backups";
    }
    if (frames.contains("JdbcBackupStore.backup")) {
      return "looking up labelled ids";
    }
    if (frames.contains("S3ObjectStore.list")) {
      return "listing";
    }
    if (frames.contains("FutureTask.get") || frames.contains("FutureTask.awaitDone")) {
      return "waiting for reads";
    }
    if (frames.stream().anyMatch(f -> f.endsWith(".doCommit") || f.endsWith(".commit"))) {
      return "commit";
    }
    if (frames.contains("BackupSync.apply")) {
      return "applying, other";
    }
    if (frames.contains("BackupSync.fromBucket")) {
      return "building rows";
    }
    return "other";
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private interface Condition {
    boolean holds();
  }

  private static void awaitTrue(Condition c, String what) throws InterruptedException {
    awaitTrue(c, what, WAIT);
  }

  private static void awaitTrue(Condition c, String what, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + wait);
      }
      Thread.sleep(1);
    }
  }

  private static void all(ExecutorService pool, List<Callable<Void>> calls) throws Exception {
    for (Future<Void> f : pool.invokeAll(calls)) {
      f.get();
    }
  }

  private HttpResponse<String> call(String method, String url) throws Exception {
    return send(method, url, null, Duration.ofSeconds(60));
  }

  private HttpResponse<String> call(String method, String url, String body) throws Exception {
    return send(method, url, body, Duration.ofSeconds(60));
  }

  private HttpResponse<String> send(String method, String url, String body, Duration timeout)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
