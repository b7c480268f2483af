package dev.easel.bench;

import static dev.easel.bench.Report.say;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.easel.agent.inventory.Inventory;
import dev.easel.agent.run.StateDir;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.Simulator;
import dev.easel.agent.simulate.StepKind;
import dev.easel.common.config.BackboneMigrations;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import dev.easel.testing.TestPlanKeys;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The compliance benchmark, on a durable PostgreSQL and a real broker: the service's own report
 * code in this JVM, node-discovery's jar for the agent channel, and compliance's jar for schedules
 * run on simulated clusters whose steps take no time.
 *
 * <ul>
 *   <li>{@code sbom_parse_20k_s}: a CycloneDX 1.6 SBOM of 20,000 components and a Grype report of
 *       50,000 matches, each packed as the SBOM step packs them (a tar with {@code index.tsv}),
 *       read and stored as the service's ingest reads a file (its bookkeeping of the scan's rows
 *       aside): its digest-checking reader, {@code ToolReports} and {@code JdbcReportStore}'s COPY
 *       writer, loaded from the service's jar, each file in a transaction of its own; the median of
 *       3 runs, each a fresh scan. {@code sbom_parse_components_per_s} and {@code
 *       grype_matches_per_s} split it by file;
 *   <li>{@code sbom_parse_heap_mb}: the heap used above idle (after collections) during it, sampled
 *       every 10 ms, the median of the runs' peaks. It counts garbage not yet collected; {@code
 *       sbom_parse_heap_after_gc_mb} is the peak left after any collection during the run, what the
 *       parse held live;
 *   <li>{@code artifact_upload_mb_per_s}: a 200 MB file uploaded with the agent's own client
 *       ({@code ServerApi.uploadArtifact}) to a running step on node-discovery, which hashes it,
 *       syncs it and renames it into its store; against {@code curl -T} of the same file to a
 *       {@code file:} URL on the same file system ({@code artifact_upload_vs_curl}), and the same
 *       copy followed by an fsync ({@code artifact_upload_vs_curl_synced}); and {@code curl -T}
 *       through the agent channel. MB are 10^6 bytes; the median of 3 runs after one that warms up;
 *   <li>{@code scheduled_400_s}: 100 simulated one-node clusters with the four scan features
 *       enabled, and a schedule of each kind on each, all due at the same minute: from that
 *       minute's start to the last of the 400 scans finished, with how many completed and failed.
 *       Where the time goes: when the scans started and each kind finished, when node-discovery
 *       completed their plans, the time from a scan's last plan to the scan's completion
 *       (compliance's part), how long each service's serial consumers and outbox relay were busy
 *       meanwhile ({@code scheduled_busy_*_s}, from their metrics), what their database connections
 *       were doing, sampled every 100 ms ({@code scheduled_*_lock_wait_share}), and the deadlocks
 *       PostgreSQL broke ({@code scheduled_*_deadlocks});
 *   <li>backups (issue #14), after the scans: a sync of 10,000 Velero backups and one backup's
 *       overhead against a plan round trip, in {@link BackupBench}.
 * </ul>
 *
 * <p>The machine's load average is recorded at the start and the end: anything else running on it
 * shares the cores with every figure here.
 */
final class ComplianceBench {

  private static final int COMPONENTS = 20_000;
  private static final int MATCHES = 50_000;
  private static final int PARSE_RUNS = 3;
  private static final String IMAGE = "registry.example.com/bench/storefront:4.2.0";

  private static final long UPLOAD_BYTES = 200_000_000L;
  private static final int UPLOAD_RUNS = 3;

  private static final int CLUSTERS = 100;
  private static final List<String> FEATURES =
      List.of("configuration-security", "penetration-testing", "sbom", "conformance");
  private static final List<String> KINDS =
      List.of("configuration", "penetration", "sbom", "conformance");
  private static final String PROFILE = "bench-appliance";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry CONTRACTS = ContractRegistry.withShipped(List.of());

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final BackupBench backups = new BackupBench(results);

  /** What the compliance events said, and when they arrived here (epoch milliseconds). */
  private final Set<String> enabled = ConcurrentHashMap.newKeySet();

  private final Map<String, Started> started = new ConcurrentHashMap<>();
  private final Map<String, Finished> finished = new ConcurrentHashMap<>();

  /** When node-discovery said each scan plan completed: where a scan's time goes. */
  private final Map<String, Long> plansCompleted = new ConcurrentHashMap<>();

  private volatile boolean consuming = true;

  private record Started(String kind, String trigger, long at) {}

  private record Finished(String kind, boolean completed, String reason, long at) {}

  /** Only the backup figures: no report parsing, uploads or scheduled scans. */
  private final boolean backupsOnly;

  ComplianceBench(boolean backupsOnly) {
    this.backupsOnly = backupsOnly;
  }

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-compliance")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    try (PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE);
        ServiceCode code =
            new ServiceCode(
                DiscoveryBench.serviceJar("compliance"), work.resolve("compliance-jar"))) {
      pg.ensureDatabase("easel_compliance");
      pg.ensureDatabase("easel_nodes");
      results.put("pg_fsync", "on".equals(pg.setting("fsync")));
      results.put("pg_synchronous_commit", pg.setting("synchronous_commit"));
      results.put("cores", Runtime.getRuntime().availableProcessors());
      // Whatever else the machine runs shares its cores with the figures below.
      double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      results.put("load_average_at_start", load);
      say(
          "postgresql %d (fsync %s, synchronous_commit %s); %d cores, load average %.1f",
          pg.port(),
          pg.setting("fsync"),
          pg.setting("synchronous_commit"),
          Runtime.getRuntime().availableProcessors(),
          load);
      // Alone on the machine: no broker and no service yet to share the cores with.
      if (!backupsOnly) {
        parse(work, pg, code);
      }

      try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
          KafkaProducer<String, byte[]> producer =
              KafkaClients.producer(kafka.bootstrapServers())) {
        BackboneBench.createTopics(
            kafka.bootstrapServers(),
            "easel.nodes.events",
            "easel.nodes.commands",
            "easel.nodes.replies",
            "easel.packs.events",
            "easel.clusters.events",
            "easel.compliance.events",
            "easel.compliance.replies",
            "easel.bench.replies");
        Thread consumer = new Thread(() -> consume(kafka.bootstrapServers()), "bench-events");
        consumer.setDaemon(true);
        consumer.start();
        List<Process> services = new ArrayList<>();
        // node-discovery's plan key pair: compliance seals backup credentials in plans to it.
        Path planKey = work.resolve("plans.key");
        Path planPublicKey = work.resolve("plans.pub");
        TestPlanKeys.writeNewPair(planKey, planPublicKey);
        try {
          int nodesPort = DiscoveryBench.freePort();
          String nodes = "http://127.0.0.1:" + nodesPort;
          services.add(
              FormationBench.launch(
                  "node-discovery",
                  work,
                  pg,
                  kafka,
                  nodesPort,
                  "easel_nodes",
                  List.of(
                      "--easel.nodes.secret-key=" + FormationBench.key(),
                      "--" + TestPlanKeys.PRIVATE_KEY_FILE_PROPERTY + "=" + planKey,
                      "--easel.nodes.artifacts.dir=" + work.resolve("artifacts"))));
          awaitHealthy("node-discovery", nodes, services.get(0), work);
          say("node-discovery on %s; broker %s", nodes, kafka.bootstrapServers());
          if (!backupsOnly) {
            upload(work, nodes, producer);
          }

          int compliancePort = DiscoveryBench.freePort();
          String compliance = "http://127.0.0.1:" + compliancePort;
          List<String> complianceArgs = new ArrayList<>();
          complianceArgs.add("--easel.compliance.schedules.poll=1s");
          complianceArgs.add("--easel.compliance.conformance.poll-interval=1s");
          complianceArgs.add("--easel.compliance.ingest-interval=100ms");
          complianceArgs.add("--easel.compliance.secret-key=" + FormationBench.key());
          complianceArgs.add("--" + TestPlanKeys.PUBLIC_KEY_FILE_PROPERTY + "=" + planPublicKey);
          complianceArgs.addAll(BackupBench.complianceArguments());
          services.add(
              FormationBench.launch(
                  "compliance",
                  work,
                  pg,
                  kafka,
                  compliancePort,
                  "easel_compliance",
                  complianceArgs));
          awaitHealthy("compliance", compliance, services.get(1), work);
          say("compliance on %s", compliance);
          if (!backupsOnly) {
            scheduled(work, pg, nodes, compliance, producer);
          } else {
            // What the scheduled scans announce first: the profile and the feature's pack.
            publish(producer, "easel.packs.events", PROFILE, profile());
            publish(
                producer, "easel.packs.events", "bench-registry", packAdded("easel-third-party"));
          }
          backups.run(work, nodes, compliance, producer, services.get(1));
        } finally {
          consuming = false;
          for (Process p : services) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
              p.destroyForcibly();
            }
          }
        }
      }
    }
    report();
  }

  // ---- SBOM and Grype reports, parsed and stored ------------------------------------------------

  private void parse(WorkDir work, PostgresServer pg, ServiceCode code) throws Exception {
    Path dir = Files.createDirectories(work.resolve("reports"));
    long t0 = System.nanoTime();
    Packed sbom = pack(dir, "sbom.tar", ComplianceBench::writeCycloneDx);
    Packed grype = pack(dir, "grype.tar", ComplianceBench::writeGrype);
    say(
        "generated a CycloneDX 1.6 SBOM of %,d components (%.1f MB) and a Grype report of %,d"
            + " matches (%.1f MB) in %.1f s",
        COMPONENTS,
        sbom.jsonBytes() / 1e6,
        MATCHES,
        grype.jsonBytes() / 1e6,
        (System.nanoTime() - t0) / 1e9);

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(pg.jdbcUrl("easel_compliance"));
    config.setUsername(pg.username());
    config.setPassword(pg.password());
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      // As the service migrates at its start: the backbone's tables, then its own.
      BackboneMigrations.migrate(ds);
      Flyway.configure().dataSource(ds).locations("filesystem:" + code.migrations).load().migrate();
      JdbcTemplate jdbc = new JdbcTemplate(ds);
      TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
      Object store = code.reportStore(jdbc);
      List<Double> total = new ArrayList<>();
      List<Double> sbomSeconds = new ArrayList<>();
      List<Double> grypeSeconds = new ArrayList<>();
      List<Double> heap = new ArrayList<>();
      List<Double> live = new ArrayList<>();
      for (int run = 1; run <= PARSE_RUNS; run++) {
        UUID scan = UUID.randomUUID();
        String plan = "scan-" + scan + "-" + UUID.randomUUID();
        long idle = idleHeap();
        long a;
        long b;
        long c;
        long[] peaks;
        try (HeapWatch watch = new HeapWatch()) {
          a = System.nanoTime();
          code.ingest(tx, store, scan, plan + "/sbom.tar", sbom, "SBOM_TAR", "cyclonedx-json");
          b = System.nanoTime();
          code.ingest(tx, store, scan, plan + "/grype.tar", grype, "GRYPE_TAR", "cyclonedx-json");
          c = System.nanoTime();
          peaks = watch.stop();
        }
        long components = count(jdbc, "components", scan);
        long findings = count(jdbc, "findings", scan);
        if (components != COMPONENTS || findings != MATCHES) {
          throw new IllegalStateException(
              "run "
                  + run
                  + " stored "
                  + components
                  + " components and "
                  + findings
                  + " findings, not "
                  + COMPONENTS
                  + " and "
                  + MATCHES);
        }
        double mbAbove = Math.max(0, peaks[0] - idle) / 1e6;
        // No collection during the run leaves nothing to say about what it held live.
        double mbLive = peaks[1] == 0 ? Double.NaN : Math.max(0, peaks[1] - idle) / 1e6;
        total.add((c - a) / 1e9);
        sbomSeconds.add((b - a) / 1e9);
        grypeSeconds.add((c - b) / 1e9);
        heap.add(mbAbove);
        live.add(mbLive);
        say(
            "run %d: parsed and stored in %.2f s (SBOM %.2f s, Grype %.2f s); heap above idle"
                + " (%.0f MB): peak %.0f MB sampled, %.0f MB after collections",
            run, (c - a) / 1e9, (b - a) / 1e9, (c - b) / 1e9, idle / 1e6, mbAbove, mbLive);
      }
      results.put("sbom_parse_20k_s", median(total));
      results.put("sbom_parse_heap_mb", median(heap));
      results.put("sbom_parse_heap_after_gc_mb", median(live));
      results.put("sbom_parse_components_per_s", COMPONENTS / median(sbomSeconds));
      results.put("grype_matches_per_s", MATCHES / median(grypeSeconds));
      say(
          "SBOM and Grype parsed and stored (median of %d): %.2f s; %,.0f components/s, %,.0f"
              + " matches/s; heap above idle %.0f MB sampled, %.0f MB after collections",
          PARSE_RUNS,
          median(total),
          COMPONENTS / median(sbomSeconds),
          MATCHES / median(grypeSeconds),
          median(heap),
          median(live));
      // The service starts on this database later; the reports written here are not its own.
      jdbc.execute("TRUNCATE findings, components");
    }
    Files.delete(sbom.path());
    Files.delete(grype.path());
  }

  private static long count(JdbcTemplate jdbc, String table, UUID scan) {
    Long n =
        jdbc.queryForObject(
            "SELECT count(*) FROM " + table + " WHERE scan_id = ?", Long.class, scan);
    return n == null ? 0 : n;
  }

  /** A report packed as the SBOM step packs it, and the digest node-discovery would give it. */
  private record Packed(Path path, String digest, long jsonBytes) {}

  /**
   * Writes the report to a file as it is generated, then packs it as the SBOM step does: a tar of
   * {@code index.tsv}, naming the image, and {@code 1.json}.
   */
  private static Packed pack(Path dir, String name, Consumer<JsonGenerator> report)
      throws Exception {
    Path json = dir.resolve(name + ".json");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(json), 1 << 16);
        JsonGenerator g = JSON.createGenerator(out)) {
      report.accept(g);
    }
    long jsonBytes = Files.size(json);
    Path tar = dir.resolve(name);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] index = ("1.json\t" + IMAGE + "\n").getBytes(UTF_8);
    try (OutputStream file =
            new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16), sha);
        TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
      TarArchiveEntry e = new TarArchiveEntry("index.tsv");
      e.setSize(index.length);
      out.putArchiveEntry(e);
      out.write(index);
      out.closeArchiveEntry();
      e = new TarArchiveEntry("1.json");
      e.setSize(jsonBytes);
      out.putArchiveEntry(e);
      Files.copy(json, out);
      out.closeArchiveEntry();
    }
    Files.delete(json);
    return new Packed(tar, "sha256:" + HexFormat.of().formatHex(sha.digest()), jsonBytes);
  }

  /** One package of the simulated image, as Syft catalogues it. */
  private record Pkg(
      String name,
      String version,
      String type,
      String purl,
      String license,
      String path,
      String cataloger,
      String language) {

    String cpe() {
      return "cpe:2.3:a:"
          + name.replaceAll("[^A-Za-z0-9_.-]", "_")
          + ":*:"
          + version
          + ":*:*:*:*:*:*:*";
    }
  }

  /** The {@code i}-th package: debs, Go modules, npm, Java and Python packages in turn. */
  private static Pkg pkg(int i) {
    String v = "1." + (i % 40) + "." + (i % 7);
    return switch (i % 5) {
      case 0 ->
          new Pkg(
              "libbench" + i,
              v + "-0ubuntu1",
              "deb",
              "pkg:deb/ubuntu/libbench" + i + "@" + v + "-0ubuntu1?arch=amd64&distro=ubuntu-22.04",
              "GPL-2.0-only",
              "/var/lib/dpkg/status",
              "dpkg-db-cataloger",
              "");
      case 1 ->
          new Pkg(
              "github.com/bench/module" + i,
              "v" + v,
              "go-module",
              "pkg:golang/github.com/bench/module" + i + "@v" + v,
              "Apache-2.0",
              "/usr/local/bin/storefront",
              "go-module-binary-cataloger",
              "go");
      case 2 ->
          new Pkg(
              "bench-pkg-" + i,
              v,
              "npm",
              "pkg:npm/bench-pkg-" + i + "@" + v,
              "MIT",
              "/app/node_modules/bench-pkg-" + i + "/package.json",
              "javascript-package-cataloger",
              "javascript");
      case 3 ->
          new Pkg(
              "bench-artifact-" + i,
              v,
              "java-archive",
              "pkg:maven/dev.bench/bench-artifact-" + i + "@" + v,
              "Apache-2.0",
              "/app/lib/bench-artifact-" + i + "-" + v + ".jar",
              "java-archive-cataloger",
              "java");
      default ->
          new Pkg(
              "bench-py-" + i,
              v,
              "python",
              "pkg:pypi/bench-py-" + i + "@" + v,
              "BSD-3-Clause",
              "/usr/lib/python3/dist-packages/bench_py_" + i + "-" + v + ".dist-info/METADATA",
              "python-installed-package-cataloger",
              "python");
    };
  }

  /**
   * {@code syft -o cyclonedx-json@1.6} of an image of {@value #COMPONENTS} packages. The document's
   * first keys are written first, as Syft writes them: the service tells the format from them.
   */
  private static void writeCycloneDx(JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    g.writeStringProperty("bomFormat", "CycloneDX");
    g.writeStringProperty("specVersion", "1.6");
    g.writeStringProperty(
        "serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(IMAGE.getBytes(UTF_8)));
    g.writeNumberProperty("version", 1);
    g.writePOJOProperty(
        "metadata",
        Map.of(
            "timestamp",
            "2026-01-01T00:00:00Z",
            "tools",
            Map.of(
                "components",
                List.of(
                    Map.of(
                        "type", "application",
                        "author", "anchore",
                        "name", "syft",
                        "version", "1.20.0"))),
            "component",
            Map.of(
                "bom-ref",
                "image-" + hex(0),
                "type",
                "container",
                "name",
                IMAGE,
                "version",
                "sha256:" + "5e".repeat(32))));
    g.writeArrayPropertyStart("components");
    for (int i = 0; i < COMPONENTS; i++) {
      Pkg p = pkg(i);
      List<Object> properties = new ArrayList<>();
      properties.add(property("syft:package:foundBy", p.cataloger()));
      if (!p.language().isEmpty()) {
        properties.add(property("syft:package:language", p.language()));
      }
      properties.add(property("syft:package:type", p.type()));
      properties.add(property("syft:location:0:layerID", "sha256:" + "3c".repeat(32)));
      properties.add(property("syft:location:0:path", p.path()));
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("bom-ref", p.purl() + "&package-id=" + hex(i));
      c.put("type", "library");
      c.put("name", p.name());
      c.put("version", p.version());
      c.put("licenses", List.of(Map.of("license", Map.of("id", p.license()))));
      c.put("cpe", p.cpe());
      c.put("purl", p.purl());
      c.put("properties", properties);
      g.writePOJO(c);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static Map<String, String> property(String name, String value) {
    return Map.of("name", name, "value", value);
  }

  private static final String[] SEVERITIES = {
    "Critical", "High", "Medium", "Low", "Negligible", "Unknown"
  };

  /** {@code grype -o json} of the same image: {@value #MATCHES} matches, ten per package. */
  private static void writeGrype(JsonGenerator g) {
    g.writeStartObject();
    g.writeArrayPropertyStart("matches");
    for (int m = 0; m < MATCHES; m++) {
      Pkg p = pkg(m / 10);
      String id = "CVE-" + (2020 + m % 5) + "-" + (10_000 + m / 5);
      String fixedIn = "1." + (m % 40 + 1) + ".0";
      boolean fixed = m % 3 != 0;
      Map<String, Object> vulnerability = vulnerability(id, SEVERITIES[m % SEVERITIES.length], p);
      Map<String, Object> match = new LinkedHashMap<>();
      Map<String, Object> v = new LinkedHashMap<>(vulnerability);
      v.put(
          "fix",
          Map.of(
              "versions", fixed ? List.of(fixedIn) : List.of(),
              "state", fixed ? "fixed" : "not-fixed"));
      v.put("advisories", List.of());
      match.put("vulnerability", v);
      match.put("relatedVulnerabilities", List.of(vulnerability));
      match.put(
          "matchDetails",
          List.of(
              Map.of(
                  "type",
                  "exact-direct-match",
                  "matcher",
                  p.type() + "-matcher",
                  "searchedBy",
                  Map.of(
                      "namespace",
                      "nvd:cpe",
                      "package",
                      Map.of("name", p.name(), "version", p.version())),
                  "found",
                  Map.of("vulnerabilityID", id, "versionConstraint", "< " + fixedIn))));
      Map<String, Object> artifact = new LinkedHashMap<>();
      artifact.put("id", hex(m / 10));
      artifact.put("name", p.name());
      artifact.put("version", p.version());
      artifact.put("type", p.type());
      artifact.put(
          "locations", List.of(Map.of("path", p.path(), "layerID", "sha256:" + "3c".repeat(32))));
      artifact.put("language", p.language());
      artifact.put("licenses", List.of(p.license()));
      artifact.put("cpes", List.of(p.cpe()));
      artifact.put("purl", p.purl());
      artifact.put("upstreams", List.of());
      match.put("artifact", artifact);
      g.writePOJO(match);
    }
    g.writeEndArray();
    g.writePOJOProperty("ignoredMatches", List.of());
    g.writePOJOProperty(
        "source",
        Map.of(
            "type",
            "image",
            "target",
            Map.of(
                "userInput",
                IMAGE,
                "imageID",
                "sha256:" + "5e".repeat(32),
                "architecture",
                "amd64",
                "os",
                "linux")));
    g.writePOJOProperty("distro", Map.of("name", "ubuntu", "version", "22.04"));
    g.writePOJOProperty("descriptor", Map.of("name", "grype", "version", "0.87.0"));
    g.writeEndObject();
  }

  /** A vulnerability as Grype describes it, in a match and among its related ones. */
  private static Map<String, Object> vulnerability(String id, String severity, Pkg p) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("dataSource", "https://nvd.nist.gov/vuln/detail/" + id);
    v.put("namespace", "nvd:cpe");
    v.put("severity", severity);
    v.put(
        "urls",
        List.of(
            "https://nvd.nist.gov/vuln/detail/" + id,
            "https://security-tracker.debian.org/tracker/" + id));
    v.put(
        "description",
        "A flaw was found in "
            + p.name()
            + " "
            + p.version()
            + ". An out-of-bounds read in the parser of untrusted input allows a remote attacker"
            + " to crash the process or, in some configurations, run code of their choosing by"
            + " sending a crafted request.");
    v.put(
        "cvss",
        List.of(
            Map.of(
                "source", "nvd@nist.gov",
                "type", "Primary",
                "version", "3.1",
                "vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "metrics", Map.of("baseScore", 9.8, "exploitabilityScore", 3.9, "impactScore", 5.9),
                "vendorMetadata", Map.of())));
    return v;
  }

  private static String hex(int i) {
    return String.format("%016x", i * 0x9E3779B97F4A7C15L);
  }

  private static long idleHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The heap used while it watches: sampled every 10 ms, and as each collection leaves it. The
   * first counts garbage not yet collected; the second is what was live, at the collections.
   */
  private static final class HeapWatch implements AutoCloseable {

    private final AtomicLong sampled = new AtomicLong();
    private final AtomicLong afterGc = new AtomicLong();
    private final Set<String> heapPools = ConcurrentHashMap.newKeySet();
    private final NotificationListener listener = this::collected;
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean on = true;

    HeapWatch() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
      sampler =
          new Thread(
              () -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (on) {
                  sampled.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(10);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "bench-heap");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void collected(Notification n, Object handback) {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          used += e.getValue().getUsed();
        }
      }
      afterGc.accumulateAndGet(used, Math::max);
    }

    /** Stops watching: the peak sampled, and the peak after a collection, in bytes. */
    long[] stop() throws InterruptedException {
      on = false;
      sampler.join();
      return new long[] {sampled.get(), afterGc.get()};
    }

    @Override
    public void close() throws Exception {
      on = false;
      for (NotificationEmitter e : emitters) {
        e.removeNotificationListener(listener);
      }
    }
  }

  /**
   * The compliance service's own code, from its executable jar. A service is not a library: its
   * classes, and the libraries only it uses, are unpacked and loaded beside the benchmark's, whose
   * copies of what both use (Spring's JDBC, Jackson, the PostgreSQL driver, Commons Compress) they
   * share. The calls are the ingest's own: open the stored file checking its digest, open the
   * report's writer, read the file into it.
   */
  private static final class ServiceCode implements AutoCloseable {

    final Path migrations;
    private final URLClassLoader loader;
    private final Object readers;
    private final Object artifacts;
    private final Method open;
    private final Method read;
    private final Method writer;
    private final Constructor<?> context;
    private final Constructor<?> store;
    private final Object[] kinds;

    ServiceCode(Path jar, Path dir) throws Exception {
      // Made first: a directory's URL ends with a slash only when it exists.
      Path classes = Files.createDirectories(dir.resolve("classes"));
      Path lib = dir.resolve("lib");
      List<URL> urls = new ArrayList<>();
      urls.add(classes.toUri().toURL());
      try (JarFile j = new JarFile(jar.toFile())) {
        for (JarEntry e : Collections.list(j.entries())) {
          String name = e.getName();
          Path to;
          if (e.isDirectory()) {
            continue;
          } else if (name.startsWith("BOOT-INF/classes/")) {
            to = classes.resolve(name.substring("BOOT-INF/classes/".length()));
          } else if (name.startsWith("BOOT-INF/lib/")) {
            to = lib.resolve(name.substring("BOOT-INF/lib/".length()));
            urls.add(to.toUri().toURL());
          } else {
            continue;
          }
          Files.createDirectories(to.getParent());
          try (InputStream in = j.getInputStream(e)) {
            Files.copy(in, to);
          }
        }
      }
      migrations = classes.resolve("db").resolve("migration");
      loader = new URLClassLoader(urls.toArray(URL[]::new), ComplianceBench.class.getClassLoader());
      String base = "dev.easel.compliance.";
      Class<?> port = loader.loadClass(base + "application.port.ReportReaders");
      Class<?> ctx = loader.loadClass(base + "application.port.ReportReaders$Context");
      Class<?> reader = loader.loadClass(base + "domain.scan.ScanPlans$Reader");
      Class<?> sink = loader.loadClass(base + "domain.report.ReportSink");
      readers =
          loader
              .loadClass(base + "adapters.out.reports.ToolReports")
              .getConstructor()
              .newInstance();
      read = port.getMethod("read", reader, InputStream.class, ctx, sink);
      context = ctx.getConstructor(String.class, String.class, String.class, String.class);
      kinds = reader.getEnumConstants();
      artifacts =
          loader
              .loadClass(base + "adapters.out.artifacts.StoredArtifacts")
              .getConstructor()
              .newInstance();
      open =
          loader
              .loadClass(base + "application.port.ArtifactSource")
              .getMethod("open", String.class, String.class);
      writer =
          loader
              .loadClass(base + "application.port.ReportStore")
              .getMethod("writer", UUID.class, String.class);
      store =
          loader
              .loadClass(base + "adapters.out.persistence.JdbcReportStore")
              .getDeclaredConstructor(JdbcTemplate.class);
      store.setAccessible(true);
    }

    /** The service's {@code JdbcReportStore} on this template. */
    Object reportStore(JdbcTemplate jdbc) throws Exception {
      return store.newInstance(jdbc);
    }

    /**
     * Reads one stored file into a scan's report as the ingest does: in a transaction of its own,
     * its digest checked as it is read, its rows written with COPY.
     */
    void ingest(
        TransactionTemplate tx,
        Object reportStore,
        UUID scanId,
        String artifact,
        Packed file,
        String reader,
        String sbomFormat)
        throws Exception {
      Object kind = null;
      for (Object k : kinds) {
        if (((Enum<?>) k).name().equals(reader)) {
          kind = k;
        }
      }
      Object which = kind;
      Object ctx = context.newInstance("bench-0", "control-plane", null, sbomFormat);
      tx.executeWithoutResult(
          s -> {
            try (InputStream in =
                    (InputStream)
                        open.invoke(artifacts, file.path().toUri().toString(), file.digest());
                AutoCloseable w = (AutoCloseable) writer.invoke(reportStore, scanId, artifact)) {
              read.invoke(readers, which, in, ctx, w);
            } catch (InvocationTargetException e) {
              throw new IllegalStateException(
                  artifact + " was not read: " + e.getCause(), e.getCause());
            } catch (Exception e) {
              throw new IllegalStateException(artifact + " was not read: " + e, e);
            }
          });
    }

    @Override
    public void close() throws IOException {
      loader.close();
    }
  }

  // ---- a 200 MB artifact through the agent channel ---------------------------------------------

  private void upload(WorkDir work, String nodes, KafkaProducer<String, byte[]> producer)
      throws Exception {
    Path blob = Files.createDirectories(work.resolve("upload")).resolve("report.bin");
    Path baseline = Files.createDirectories(work.resolve("artifacts-baseline"));
    writeRandom(blob, UPLOAD_BYTES);
    ServerApi api =
        new ServerApi(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build(),
            nodes);
    ServerApi.Registered node =
        ServerApi.await(api.register(DiscoveryBench.token(nodes), inventory()));
    List<Double> agent = new ArrayList<>();
    List<Double> curlHttp = new ArrayList<>();
    List<Double> curlFile = new ArrayList<>();
    List<Double> curlSynced = new ArrayList<>();
    // Run 0 warms both ends of the channel up (curl has no JIT to warm); it is not counted.
    for (int run = 0; run <= UPLOAD_RUNS; run++) {
      ServerApi.await(api.heartbeat(node.nodeId(), node.nodeCredential()));
      String plan = "bench-upload-" + run + "-" + UUID.randomUUID();
      String step = "report";
      runPlan(
          producer,
          node.nodeId(),
          plan,
          new PlanStep(
              step,
              "leave a large report",
              "true",
              null,
              null,
              600,
              0,
              null,
              List.of("/var/lib/easel/bench/agent.bin", "/var/lib/easel/bench/curl.bin")));
      ServerApi.Step running = awaitStep(api, node, plan, step);

      // Fresh content each time, so that nothing is stored under its digest already.
      ArtifactFile file = restamp(blob, run, 'a');
      long t0 = System.nanoTime();
      ServerApi.StoredArtifact stored =
          ServerApi.await(
              api.uploadArtifact(
                  node.nodeId(), node.nodeCredential(), plan, step, "agent.bin", file));
      double a = (System.nanoTime() - t0) / 1e9;
      if (stored.size() != UPLOAD_BYTES || !stored.digest().equals(file.digest())) {
        throw new IllegalStateException("node-discovery stored " + stored);
      }

      ArtifactFile other = restamp(blob, run, 'c');
      String url =
          nodes
              + "/agent/v1/nodes/"
              + node.nodeId()
              + "/plans/"
              + plan
              + "/steps/"
              + step
              + "/artifacts/curl.bin";
      double h =
          curl(
              "201",
              "curl",
              "-sS",
              "-o",
              "/dev/null",
              "-w",
              "%{http_code}",
              "-T",
              blob.toString(),
              "-H",
              "Authorization: Bearer " + node.nodeCredential(),
              "-H",
              ServerApi.ARTIFACT_DIGEST_HEADER + ": " + other.digest(),
              "-H",
              "Content-Type: application/octet-stream",
              url);

      Path copy = baseline.resolve("report-" + run + ".bin");
      double f = curl("", "curl", "-sS", "-T", blob.toString(), "file://" + copy);
      long s0 = System.nanoTime();
      try (FileChannel c = FileChannel.open(copy, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      double synced = f + (System.nanoTime() - s0) / 1e9;
      if (Files.size(copy) != UPLOAD_BYTES) {
        throw new IllegalStateException("curl copied " + Files.size(copy) + " bytes");
      }
      Files.delete(copy);

      ServerApi.await(
          api.report(
              node.nodeId(),
              node.nodeCredential(),
              plan,
              step,
              new ServerApi.StepResult(running.attempt(), "SUCCEEDED", 0, null, "", 0)));
      if (run > 0) {
        agent.add(a);
        curlHttp.add(h);
        curlFile.add(f);
        curlSynced.add(synced);
      }
      say(
          (run == 0 ? "warm-up" : "run " + run)
              + ": 200 MB through the agent channel %.2f s (%.0f MB/s); curl through the agent"
              + " channel %.2f s (%.0f MB/s); curl to a file %.2f s (%.0f MB/s), %.2f s with"
              + " fsync (%.0f MB/s)",
          a,
          mbPerS(a),
          h,
          mbPerS(h),
          f,
          mbPerS(f),
          synced,
          mbPerS(synced));
    }
    Files.delete(blob);
    double ours = mbPerS(median(agent));
    results.put("artifact_upload_mb_per_s", ours);
    results.put("artifact_upload_curl_http_mb_per_s", mbPerS(median(curlHttp)));
    results.put("curl_file_mb_per_s", mbPerS(median(curlFile)));
    results.put("curl_file_fsync_mb_per_s", mbPerS(median(curlSynced)));
    results.put("artifact_upload_vs_curl", ours / mbPerS(median(curlFile)));
    results.put("artifact_upload_vs_curl_synced", ours / mbPerS(median(curlSynced)));
    say(
        "200 MB artifact (median of %d): agent channel %.0f MB/s; curl through the agent channel"
            + " %.0f MB/s; curl to a file %.0f MB/s (%.2fx), with fsync %.0f MB/s (%.2fx)",
        UPLOAD_RUNS,
        ours,
        mbPerS(median(curlHttp)),
        mbPerS(median(curlFile)),
        ours / mbPerS(median(curlFile)),
        mbPerS(median(curlSynced)),
        ours / mbPerS(median(curlSynced)));
  }

  private static double mbPerS(double seconds) {
    return UPLOAD_BYTES / 1e6 / seconds;
  }

  private static void writeRandom(Path file, long size) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    byte[] chunk = new byte[1 << 20];
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long left = size;
      while (left > 0) {
        for (int i = 0; i < chunk.length; i += 8) {
          long v = random.nextLong();
          for (int b = 0; b < 8; b++) {
            chunk[i + b] = (byte) (v >>> (8 * b));
          }
        }
        ByteBuffer buf = ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, left));
        while (buf.hasRemaining()) {
          left -= out.write(buf);
        }
      }
    }
  }

  /** Changes the file's first bytes, and reads it for its digest as the agent does. */
  private static ArtifactFile restamp(Path file, int run, char who) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(("run " + run + " " + who).getBytes(UTF_8)), 0);
    }
    return ArtifactFile.of(file);
  }

  /** Runs a command and answers how long it took; it must exit 0 and print {@code expect}. */
  private static double curl(String expect, String... cmd) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (exit != 0 || !out.equals(expect)) {
      throw new IllegalStateException(
          String.join(" ", cmd).replaceAll("Bearer \\S+", "Bearer ...")
              + " exited "
              + exit
              + ": "
              + out);
    }
    return seconds;
  }

  private static Inventory inventory() {
    return new Inventory(
        "bench-upload",
        UUID.randomUUID().toString().replace("-", ""),
        new Inventory.Smbios(
            "VMware, Inc.", "VMware7,1", "VMW-BENCH-0001", UUID.randomUUID().toString()),
        "x86_64",
        "uefi",
        new Inventory.Os("Ubuntu", "22.04", "5.15.0-91-generic"),
        "bench",
        new Inventory.Cpu("Intel(R) Xeon(R) Gold 6338", 8, 16),
        32L << 30,
        List.of(new Inventory.Disk("sda", 200L << 30, false, "Virtual disk", "BENCH0001")),
        List.of(
            new Inventory.Nic(
                "eno1", "52:54:00:be:0c:01", List.of("10.250.0.1/16"), 10_000L, true)));
  }

  /** Sends a plan for the node as compliance does: a RunPlan command from its source. */
  private static void runPlan(
      KafkaProducer<String, byte[]> producer, UUID nodeId, String planId, PlanStep step)
      throws Exception {
    producer
        .send(
            KafkaClients.cloudEvent(
                "easel.nodes.commands",
                nodeId.toString(),
                UUID.randomUUID().toString(),
                CONTRACTS.typeOf(RunPlan.class),
                JSON.writeValueAsString(new RunPlan(nodeId, planId, "bench", List.of(step), null)),
                "/easel/compliance",
                Map.of("requestid", planId, "replyto", "easel.bench.replies")))
        .get(30, TimeUnit.SECONDS);
  }

  /** Long-polls the node's plans as its agent does, until the plan's step is handed out. */
  private static ServerApi.Step awaitStep(
      ServerApi api, ServerApi.Registered node, String planId, String stepId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    Long since = null;
    while (System.nanoTime() < deadline) {
      ServerApi.Feed feed =
          ServerApi.await(api.plans(node.nodeId(), node.nodeCredential(), since, 5));
      for (ServerApi.Plan p : feed.plans()) {
        if (p.planId().equals(planId)) {
          for (ServerApi.Step s : p.steps()) {
            if (s.id().equals(stepId)) {
              return s;
            }
          }
        }
      }
      since = feed.revision();
    }
    throw new IllegalStateException("plan " + planId + " did not reach its node in a minute");
  }

  // ---- 400 scheduled scans ---------------------------------------------------------------------

  private void scheduled(
      WorkDir work,
      PostgresServer pg,
      String nodes,
      String compliance,
      KafkaProducer<String, byte[]> producer)
      throws Exception {
    Map<StepKind, Duration> instant = new EnumMap<>(StepKind.class);
    for (StepKind k : StepKind.values()) {
      instant.put(k, Duration.ZERO);
    }
    try (Simulator fleet =
        new Simulator(
            new Simulator.Options(
                    nodes,
                    DiscoveryBench.token(nodes),
                    CLUSTERS,
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
          "%d simulated nodes registered in %d ms; their steps take no time, and their tools"
              + " leave reports in the real formats",
          ids.size(), took.toMillis());

      publish(producer, "easel.packs.events", PROFILE, profile());
      for (String pack : List.of("easel-third-party", "easel-third-party-conformance")) {
        publish(producer, "easel.packs.events", "bench-registry", packAdded(pack));
      }
      List<UUID> clusters = new ArrayList<>();
      for (int i = 0; i < CLUSTERS; i++) {
        UUID id = UUID.randomUUID();
        clusters.add(id);
        UUID node = ids.get(i);
        publish(
            producer,
            "easel.clusters.events",
            id.toString(),
            new ClusterRunning(
                id,
                "bench-" + i,
                "workload",
                List.of(node),
                List.of(
                    new ClusterRunning.ClusterMember(
                        node, String.format("bench-%03d", i), "control-plane", "init")),
                PROFILE,
                "1.0.0",
                Instant.now()));
      }
      awaitAvailable(compliance, clusters);

      ExecutorService callers = Executors.newFixedThreadPool(8);
      Instant due;
      try {
        long t0 = System.nanoTime();
        List<Callable<Void>> enables = new ArrayList<>();
        for (UUID c : clusters) {
          for (String f : FEATURES) {
            enables.add(
                () -> {
                  HttpResponse<String> r =
                      call(
                          "PUT",
                          compliance + "/api/v1/clusters/" + c + "/compliance/features/" + f,
                          null);
                  if (r.statusCode() != 202 && r.statusCode() != 200) {
                    throw new IllegalStateException("enabling " + f + " refused: " + r.body());
                  }
                  return null;
                });
          }
        }
        all(callers, enables);
        awaitCount(enabled::size, clusters.size() * FEATURES.size(), Duration.ofMinutes(5));
        double enabling = (System.nanoTime() - t0) / 1e9;
        say(
            "%d features enabled (%d install plans) on %d clusters in %.1f s",
            enabled.size(), clusters.size() * FEATURES.size(), clusters.size(), enabling);
        results.put("features_enable_400_s", enabling);

        // All due at the start of one minute, far enough ahead to set them all first.
        due = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        ZonedDateTime at = due.atZone(ZoneOffset.UTC);
        String cron = at.getMinute() + " " + at.getHour() + " * * *";
        List<Callable<Void>> puts = new ArrayList<>();
        for (UUID c : clusters) {
          for (String kind : KINDS) {
            String body =
                "{\"preset\":\"custom\",\"cron\":\""
                    + cron
                    + "\",\"timeZone\":\"UTC\""
                    + (kind.equals("sbom") ? ",\"options\":{\"format\":\"cyclonedx-json\"}" : "")
                    + "}";
            puts.add(
                () -> {
                  HttpResponse<String> r =
                      call(
                          "PUT",
                          compliance + "/api/v1/clusters/" + c + "/scan-schedules/" + kind,
                          body);
                  if (r.statusCode() != 200) {
                    throw new IllegalStateException("schedule refused: " + r.body());
                  }
                  Instant next = Instant.parse(JSON.readTree(r.body()).get("nextRunAt").asString());
                  if (!next.equals(due)) {
                    throw new IllegalStateException(
                        "schedule " + cron + " runs next at " + next + ", not " + due);
                  }
                  return null;
                });
          }
        }
        all(callers, puts);
        if (Instant.now().isAfter(due)) {
          throw new IllegalStateException("the schedules were set after " + due);
        }
        say(
            "%d schedules set, cron \"%s\" UTC: all due at %s, in %.0f s",
            puts.size(), cron, due, Duration.between(Instant.now(), due).toMillis() / 1e3);
      } finally {
        callers.shutdownNow();
      }
      Map<String, double[]> before = busy(nodes, compliance);
      Map<String, Map<String, Integer>> waits;
      List<Map.Entry<String, Integer>> blocked;
      Map<String, Long> deadlocks;
      try (WaitSampler sampler = new WaitSampler(pg, due)) {
        awaitScheduled(clusters.size() * KINDS.size(), due);
        waits = sampler.stop();
        blocked = sampler.blocked();
        deadlocks = sampler.deadlocksSince();
      }
      Map<String, double[]> after = busy(nodes, compliance);
      after.forEach(
          (k, v) -> {
            double[] was = before.getOrDefault(k, new double[2]);
            double seconds = v[0] - was[0];
            long handled = Math.round(v[1] - was[1]);
            results.put("scheduled_busy_" + k + "_s", seconds);
            say(
                "  %-24s busy %.1f s%s",
                k,
                seconds,
                handled > 0
                    ? String.format(
                        java.util.Locale.ROOT,
                        " on %d messages, %.1f ms each",
                        handled,
                        seconds * 1e3 / handled)
                    : "");
          });
      waits.forEach(
          (db, counts) -> {
            int all = counts.values().stream().mapToInt(Integer::intValue).sum();
            say("  %s's connections at work, by what they did (%d samples):", db, all);
            counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(6)
                .forEach(e -> say("    %5.1f%%  %s", 100.0 * e.getValue() / all, e.getKey()));
            int locks =
                counts.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("waiting for Lock"))
                    .mapToInt(Map.Entry::getValue)
                    .sum();
            results.put(
                "scheduled_" + db + "_lock_wait_share", all == 0 ? 0.0 : (double) locks / all);
          });
      int waited = blocked.stream().mapToInt(Map.Entry::getValue).sum();
      if (waited > 0) {
        say("  compliance's lock waits, by who waited and on whom (%d samples):", waited);
        blocked.stream()
            .limit(5)
            .forEach(e -> say("    %5.1f%%  %s", 100.0 * e.getValue() / waited, e.getKey()));
      }
      deadlocks.forEach(
          (db, n) -> {
            results.put("scheduled_" + db + "_deadlocks", n);
            say("  deadlocks PostgreSQL broke in %s: %d", db, n);
          });
    }
  }

  /**
   * Samples, every 100 ms from the minute the schedules are due, what the services' database
   * connections are doing: running a statement, waiting (for a row lock, for WAL to be synced), or
   * holding a transaction open while the service works.
   */
  private static final class WaitSampler implements AutoCloseable {

    private static final String SAMPLE =
        "SELECT datname, state, wait_event_type, wait_event, count(*) FROM pg_stat_activity"
            + " WHERE datname IN ('easel_compliance', 'easel_nodes')"
            + " AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()"
            + " GROUP BY 1, 2, 3, 4";

    /**
     * Who waits for a lock in compliance's database, on whom: the waiter's and holder's statements.
     */
    private static final String BLOCKED =
        "SELECT w.query, b.state, b.query FROM pg_stat_activity w"
            + " CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS blocker(pid)"
            + " JOIN pg_stat_activity b ON b.pid = blocker.pid"
            + " WHERE w.datname = 'easel_compliance' AND w.wait_event_type = 'Lock'";

    private static final String DEADLOCKS =
        "SELECT datname, deadlocks FROM pg_stat_database"
            + " WHERE datname IN ('easel_compliance', 'easel_nodes')";

    private final Map<String, Map<String, Integer>> counts = new ConcurrentHashMap<>();
    private final Map<String, Integer> blocked = new ConcurrentHashMap<>();
    private final Map<String, Long> deadlocksBefore;
    private final java.sql.Connection connection;
    private final Thread thread;
    private volatile boolean on = true;

    WaitSampler(PostgresServer pg, Instant from) throws java.sql.SQLException {
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(pg.jdbcUrl("postgres"));
      ds.setUser(pg.username());
      ds.setPassword(pg.password());
      connection = ds.getConnection();
      deadlocksBefore = deadlocks();
      thread =
          new Thread(
              () -> {
                try {
                  Thread.sleep(Math.max(0, from.toEpochMilli() - System.currentTimeMillis()));
                  while (on) {
                    sample();
                    Thread.sleep(100);
                  }
                } catch (InterruptedException | java.sql.SQLException e) {
                  // stopped, or the server went away: what was sampled stands
                }
              },
              "bench-pg-waits");
      thread.setDaemon(true);
      thread.start();
    }

    private void sample() throws java.sql.SQLException {
      try (java.sql.Statement st = connection.createStatement();
          java.sql.ResultSet rs = st.executeQuery(SAMPLE)) {
        while (rs.next()) {
          String db = rs.getString(1).replace("easel_", "");
          String what;
          if ("idle in transaction".equals(rs.getString(2))) {
            what = "in a transaction, waiting for the service";
          } else if (rs.getString(3) == null) {
            what = "running a statement";
          } else {
            what = "waiting for " + rs.getString(3) + ":" + rs.getString(4);
          }
          counts
              .computeIfAbsent(db, k -> new ConcurrentHashMap<>())
              .merge(what, rs.getInt(5), Integer::sum);
        }
      }
      try (java.sql.Statement st = connection.createStatement();
          java.sql.ResultSet rs = st.executeQuery(BLOCKED)) {
        while (rs.next()) {
          String holder =
              "idle in transaction".equals(rs.getString(2))
                  ? "a transaction the service holds open after " + shorten(rs.getString(3))
                  : shorten(rs.getString(3));
          blocked.merge(shorten(rs.getString(1)) + "  <-  " + holder, 1, Integer::sum);
        }
      }
    }

    private static String shorten(String sql) {
      String s = sql == null ? "" : sql.replaceAll("\\s+", " ").trim();
      return s.length() > 70 ? s.substring(0, 70) + "..." : s;
    }

    private Map<String, Long> deadlocks() throws java.sql.SQLException {
      Map<String, Long> out = new LinkedHashMap<>();
      try (java.sql.Statement st = connection.createStatement();
          java.sql.ResultSet rs = st.executeQuery(DEADLOCKS)) {
        while (rs.next()) {
          out.put(rs.getString(1).replace("easel_", ""), rs.getLong(2));
        }
      }
      return out;
    }

    /** Lock waits in compliance's database by waiter and holder, most frequent first. */
    List<Map.Entry<String, Integer>> blocked() {
      return blocked.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .toList();
    }

    /** Deadlocks PostgreSQL broke since the sampler started, by database. */
    Map<String, Long> deadlocksSince() throws java.sql.SQLException {
      Map<String, Long> out = new LinkedHashMap<>();
      deadlocks().forEach((db, n) -> out.put(db, n - deadlocksBefore.getOrDefault(db, 0L)));
      return out;
    }

    Map<String, Map<String, Integer>> stop() throws InterruptedException {
      on = false;
      thread.join();
      return new java.util.TreeMap<>(counts);
    }

    @Override
    public void close() throws java.sql.SQLException {
      on = false;
      connection.close();
    }
  }

  private void awaitScheduled(int expected, Instant due) throws InterruptedException {
    long dueMs = due.toEpochMilli();
    Thread.sleep(Math.max(0, dueMs - System.currentTimeMillis()));
    long deadline = dueMs + Duration.ofMinutes(5).toMillis();
    int done = 0;
    int lastSaid = -1;
    long lastSay = 0;
    while (System.currentTimeMillis() < deadline) {
      done = scheduledFinished().size();
      if (done >= expected) {
        break;
      }
      if (System.currentTimeMillis() - lastSay >= 10_000 && done != lastSaid) {
        say(
            "  %.0f s after the minute: %d scans started, %d finished",
            (System.currentTimeMillis() - dueMs) / 1e3, scheduledStarted().size(), done);
        lastSay = System.currentTimeMillis();
        lastSaid = done;
      }
      Thread.sleep(100);
    }
    List<Finished> ended = scheduledFinished();
    long completed = ended.stream().filter(Finished::completed).count();
    long failed = ended.size() - completed;
    long last = ended.stream().mapToLong(Finished::at).max().orElse(dueMs);
    double seconds = ended.size() >= expected ? (last - dueMs) / 1e3 : Double.NaN;
    List<Long> starts = scheduledStarted().stream().map(Started::at).sorted().toList();
    List<Long> plans = plansCompleted.values().stream().filter(at -> at >= dueMs).sorted().toList();
    results.put("scheduled_400_s", seconds);
    results.put("scheduled_completed", completed);
    results.put("scheduled_failed", failed);
    results.put("scheduled_started", starts.size());
    if (!starts.isEmpty()) {
      results.put("scheduled_first_start_s", (starts.get(0) - dueMs) / 1e3);
      results.put("scheduled_last_start_s", (starts.get(starts.size() - 1) - dueMs) / 1e3);
    }
    say(
        "%d scheduled scans due at %s: %d started (the first %.1f s after the minute, the last"
            + " %.1f s), %d completed and %d failed; the last finished %.1f s after the minute",
        expected,
        due,
        starts.size(),
        starts.isEmpty() ? Double.NaN : (starts.get(0) - dueMs) / 1e3,
        starts.isEmpty() ? Double.NaN : (starts.get(starts.size() - 1) - dueMs) / 1e3,
        completed,
        failed,
        (last - dueMs) / 1e3);
    if (!plans.isEmpty()) {
      double p50 = (plans.get((plans.size() - 1) / 2) - dueMs) / 1e3;
      double max = (plans.get(plans.size() - 1) - dueMs) / 1e3;
      results.put("scheduled_plans_completed", plans.size());
      results.put("scheduled_plans_p50_s", p50);
      results.put("scheduled_plans_last_s", max);
      say(
          "  node-discovery completed %d scan plans: half by %.1f s, the last at %.1f s after the"
              + " minute",
          plans.size(), p50, max);
    }
    // A scan's plans are named scan-<scan id>-...: the time from its last plan's completion on
    // node-discovery to its own is compliance's part.
    Map<String, Long> lastPlan = new LinkedHashMap<>();
    plansCompleted.forEach(
        (plan, at) ->
            lastPlan.merge(plan.substring(5, Math.min(plan.length(), 41)), at, Math::max));
    List<Long> lags = new ArrayList<>();
    started.forEach(
        (id, st) -> {
          Finished f = finished.get(id);
          Long plan = lastPlan.get(id);
          if ("scheduled".equals(st.trigger()) && f != null && plan != null) {
            lags.add(f.at() - plan);
          }
        });
    Collections.sort(lags);
    if (!lags.isEmpty()) {
      double p50 = lags.get((lags.size() - 1) / 2) / 1e3;
      double max = lags.get(lags.size() - 1) / 1e3;
      results.put("scheduled_compliance_lag_p50_s", p50);
      results.put("scheduled_compliance_lag_max_s", max);
      say(
          "  from a scan's last plan completed to the scan completed (compliance's part): half"
              + " within %.1f s, at most %.1f s",
          p50, max);
    }
    for (String kind : KINDS) {
      List<Long> times =
          ended.stream()
              .filter(f -> f.kind().equals(kind))
              .map(f -> f.at() - dueMs)
              .sorted()
              .toList();
      if (times.isEmpty()) {
        continue;
      }
      double p50 = times.get((times.size() - 1) / 2) / 1e3;
      double max = times.get(times.size() - 1) / 1e3;
      results.put("scheduled_" + kind + "_p50_s", p50);
      results.put("scheduled_" + kind + "_last_s", max);
      say(
          "  %-13s %3d finished: half by %.1f s, the last at %.1f s after the minute",
          kind, times.size(), p50, max);
    }
    ended.stream()
        .filter(f -> !f.completed())
        .map(Finished::reason)
        .distinct()
        .limit(5)
        .forEach(r -> say("  failed: %s", r));
  }

  /**
   * How long each service's serial consumers and outbox relay have been busy in all, and how many
   * messages they handled, from their metrics: over the scheduled run, the share of it each one was
   * working.
   */
  private Map<String, double[]> busy(String nodes, String compliance) throws Exception {
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put("compliance_replies", consumer(compliance, "replies"));
    out.put("compliance_node_events", consumer(compliance, "node-events"));
    out.put(
        "compliance_outbox",
        new double[] {statistic(compliance, "easel.outbox.batch", null, "TOTAL_TIME"), 0});
    out.put("nodes_commands", consumer(nodes, "node-commands"));
    out.put(
        "nodes_outbox",
        new double[] {statistic(nodes, "easel.outbox.batch", null, "TOTAL_TIME"), 0});
    return out;
  }

  private double[] consumer(String base, String name) throws Exception {
    return new double[] {
      statistic(base, "easel.inbox.batch", "consumer:" + name, "TOTAL_TIME"),
      statistic(base, "easel.inbox.handled", "consumer:" + name, "COUNT")
    };
  }

  private double statistic(String base, String metric, String tag, String statistic)
      throws Exception {
    HttpResponse<String> r =
        call(
            "GET", base + "/actuator/metrics/" + metric + (tag == null ? "" : "?tag=" + tag), null);
    if (r.statusCode() == 404) {
      return 0; // not recorded yet: nothing handled
    }
    if (r.statusCode() != 200) {
      throw new IllegalStateException(metric + " " + tag + ": " + r.statusCode() + " " + r.body());
    }
    for (JsonNode m : JSON.readTree(r.body()).get("measurements")) {
      if (m.get("statistic").asString().equals(statistic)) {
        return m.get("value").asDouble();
      }
    }
    throw new IllegalStateException(metric + " has no " + statistic + ": " + r.body());
  }

  private List<Started> scheduledStarted() {
    return started.values().stream().filter(s -> "scheduled".equals(s.trigger())).toList();
  }

  private List<Finished> scheduledFinished() {
    List<Finished> out = new ArrayList<>();
    started.forEach(
        (id, s) -> {
          Finished f = finished.get(id);
          if (f != null && "scheduled".equals(s.trigger())) {
            out.add(f);
          }
        });
    return out;
  }

  /** Waits until compliance knows every cluster and offers the four features on each. */
  private void awaitAvailable(String compliance, List<UUID> clusters) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    List<UUID> waiting = new ArrayList<>(clusters);
    String last = "";
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      UUID c = waiting.get(0);
      HttpResponse<String> r =
          call("GET", compliance + "/api/v1/clusters/" + c + "/compliance/features", null);
      last = r.body();
      if (r.statusCode() == 200 && available(JSON.readTree(r.body())) == FEATURES.size()) {
        waiting.remove(0);
      } else {
        Thread.sleep(200);
      }
    }
    if (!waiting.isEmpty()) {
      throw new IllegalStateException(
          waiting.size() + " clusters are not ready for scans in compliance: " + last);
    }
  }

  private static int available(JsonNode features) {
    int n = 0;
    for (JsonNode f : features.get("features")) {
      if (FEATURES.contains(f.get("feature").asString()) && f.get("available").asBoolean()) {
        n++;
      }
    }
    return n;
  }

  private static void awaitCount(java.util.function.IntSupplier count, int expected, Duration wait)
      throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (count.getAsInt() < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + count.getAsInt() + " of " + expected + " within " + wait);
      }
      Thread.sleep(50);
    }
  }

  private static void all(ExecutorService pool, List<Callable<Void>> calls) throws Exception {
    List<Future<Void>> futures = pool.invokeAll(calls);
    for (Future<Void> f : futures) {
      f.get();
    }
  }

  private HttpResponse<String> call(String method, String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
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

  /**
   * Records the compliance events as they arrive: features enabled, scans started and ended; and
   * hands every event and reply to the backup part.
   */
  private void consume(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-compliance-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of("easel.compliance.events", "easel.nodes.events", "easel.bench.replies"));
      while (consuming) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
          Header type = r.headers().lastHeader("ce_type");
          if (type == null) {
            continue;
          }
          long now = System.currentTimeMillis();
          String t = new String(type.value(), UTF_8);
          JsonNode e = JSON.readTree(r.value());
          backups.seen(t, e);
          if (t.endsWith(".PlanCompleted.v1")) {
            String plan = e.path("planId").asString("");
            if (plan.startsWith("scan-")) {
              plansCompleted.putIfAbsent(plan, now);
            }
          } else if (t.endsWith(".FeatureEnabled.v1")) {
            enabled.add(e.get("clusterId").asString() + "/" + e.get("feature").asString());
          } else if (t.endsWith(".ScanInitiated.v1")) {
            started.putIfAbsent(
                e.get("scanId").asString(),
                new Started(e.get("kind").asString(), e.get("trigger").asString(), now));
          } else if (t.endsWith(".ScanCompleted.v1") || t.endsWith(".ScanFailed.v1")) {
            boolean ok = t.endsWith(".ScanCompleted.v1");
            finished.putIfAbsent(
                e.get("scanId").asString(),
                new Finished(
                    e.get("kind").asString(), ok, ok ? null : e.path("reason").asString(""), now));
          }
        }
      }
    }
  }

  static void publish(
      KafkaProducer<String, byte[]> producer, String topic, String key, Object event)
      throws Exception {
    producer
        .send(
            KafkaClients.cloudEvent(
                topic,
                key,
                UUID.randomUUID().toString(),
                CONTRACTS.typeOf(event.getClass()),
                JSON.writeValueAsString(event),
                Map.of()))
        .get(30, TimeUnit.SECONDS);
  }

  /** The published profile the clusters run: its k8s layer says which CIS benchmark applies. */
  private static ProfilePublished profile() {
    return new ProfilePublished(
        PROFILE,
        "1.0.0",
        "the clusters' profile",
        "full",
        "edge-native",
        List.of(
            new ProfilePublished.ResolvedLayer(
                "pack",
                "k8s",
                "pxk-e",
                "1.32.3",
                "internal",
                "127.0.0.1:5000/spectro-packs/archive/pxk-e",
                "sha256:" + "cd".repeat(32),
                "",
                List.of(),
                List.of(),
                List.of())),
        List.of(),
        Instant.now());
  }

  /** The third-party pack as pack-manager announces it, with its real values. */
  private static PackAdded packAdded(String name) throws IOException {
    Path values =
        Path.of("services", "pack-manager", "src", "main", "resources", "packs")
            .resolve(name + "-1.0.0")
            .resolve("values.yaml");
    return new PackAdded(
        UUID.nameUUIDFromBytes("bench-registry".getBytes(UTF_8)),
        "internal",
        name,
        "1.0.0",
        "sha256:" + "ab".repeat(32),
        "addon",
        List.of("all"),
        "127.0.0.1:5000/spectro-packs/archive/" + name,
        Files.readString(values),
        Instant.now());
  }

  // ---- processes and the report -----------------------------------------------------------------

  private void awaitHealthy(String service, String base, Process process, WorkDir work)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
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
    List<String> log = Files.readAllLines(work.resolve(service + ".log"));
    throw new IllegalStateException(
        service
            + (process.isAlive() ? " did not become healthy" : " exited")
            + "; the end of its log:\n"
            + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private void report() throws IOException {
    results.put(
        "load_average_at_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    Map<String, String> goals =
        Map.of(
            "sbom_parse_20k_s", "<= 10",
            "sbom_parse_heap_mb", "<= 256",
            "artifact_upload_mb_per_s", "vs curl",
            "scheduled_400_s", "<= 120",
            "backup_sync_10k_s", "<= 10",
            "backup_overhead_ms", "<= 1000");
    results.forEach(
        (k, v) -> {
          if (v instanceof Number n) {
            say("%-36s %12.2f %10s", k, n.doubleValue(), goals.getOrDefault(k, ""));
          } else {
            say("%-36s %12s", k, v);
          }
        });
    Report.write("compliance", results);
  }
}
