package dev.easel.bench;

import dev.easel.contracts.api.Role;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.OciRegistry;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packs benchmark. pack-manager's jar runs as its own process against a real broker, a durable
 * PostgreSQL and Debian's {@code docker-registry}; {@code skopeo} is the baseline.
 *
 * <p>Phases:
 *
 * <ol>
 *   <li>A 1 GiB Easel pack bundle of 40 random blobs (an OCI layout, zstd-compressed) uploaded and
 *       pushed through pack-manager, and the same layout copied by {@code skopeo copy} to another
 *       repository of the same registry; three rounds, the order alternating, each into fresh
 *       repositories. The push is timed from pack-manager's 202 (the bundle received, checked and
 *       unpacked) to the upload's completion; skopeo from start to exit.
 *   <li>The same bundle again: the bytes of blobs sent (the registry has them all).
 *   <li>pack-manager's live heap (after a forced collection, sampled every 300 ms) during a fourth
 *       upload into fresh repositories, above its live heap at rest.
 *   <li>5,000 pack versions pushed straight to the registry, then a new registry entry over them:
 *       its first sync, timed by pack-manager, and a second sync's manifest fetches.
 *   <li>{@code POST /api/v1/profiles/validate} of a 20-layer profile, 300 times after 100 warm-up
 *       calls.
 * </ol>
 */
final class PacksBench {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int BLOBS = 40;
  private static final long BUNDLE_BYTES = 1L << 30;
  private static final int ROUNDS = 3;
  private static final int PACK_NAMES = 500;
  private static final int VERSIONS = 10;

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String base;
  private long pid;

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-packs")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    Path jar = serviceJar();
    Path skopeo = onPath("skopeo");
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE);
        OciRegistry registry = OciRegistry.start(OciRegistry.Options.plain())) {
      pg.ensureDatabase("easel_packs");
      createTopics(kafka.bootstrapServers(), "easel.packs.events", "easel.clusters.events");
      int port = freePort();
      base = "http://127.0.0.1:" + port;
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      Process service =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-jar",
                  jar.toString(),
                  "--server.port=" + port,
                  "--spring.datasource.url=" + pg.jdbcUrl("easel_packs"),
                  "--spring.datasource.username=" + pg.username(),
                  "--spring.datasource.password=" + pg.password(),
                  "--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers(),
                  "--easel.packs.secret-key=" + Base64.getEncoder().encodeToString(key),
                  "--easel.packs.spool-dir=" + work.resolve("spool"),
                  "--easel.packs.registries.allow-loopback=true",
                  "--easel.packs.sync.poll=500ms",
                  TestIdentity.commandLineArgument())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("pack-manager.log").toFile())
              .start();
      pid = service.pid();
      try {
        awaitHealthy(service);
        say(
            "pack-manager pid %d on %s; registry %s (%s); broker %s; postgresql %d; %d cores",
            pid,
            base,
            registry.baseUrl(),
            registry.kind(),
            kafka.bootstrapServers(),
            pg.port(),
            Runtime.getRuntime().availableProcessors());
        push(work, registry, skopeo);
        sync(registry);
        validate();
      } finally {
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
          service.destroyForcibly();
        }
      }
    }
    report();
  }

  // ---- phase 1-3: push -------------------------------------------------------------------------

  private void push(WorkDir work, OciRegistry registry, Path skopeo) throws Exception {
    String registryId =
        createRegistry(
            "{\"name\":\"bench\",\"kind\":\"external\",\"endpoint\":\""
                + registry.baseUrl()
                + "\"}");
    Layout blobs = null;
    Path layout = null;
    List<Double> ours = new ArrayList<>();
    List<Double> oursTotal = new ArrayList<>();
    List<Double> theirs = new ArrayList<>();
    String firstRepo = null;
    Path firstBundle = null;
    for (int round = 0; round < ROUNDS; round++) {
      // Fresh blobs each round: skopeo remembers where it put blobs before (its blob-info cache,
      // system-wide for root) and would mount them instead of sending them.
      if (layout != null) {
        deleteTree(layout);
      }
      layout = work.resolve("layout-" + round);
      long t0 = System.nanoTime();
      blobs = randomLayout(layout, round);
      say(
          "round %d: a layout of %d random blobs, %,d bytes, written in %.1f s",
          round, BLOBS, blobs.bytes, secs(t0));
      String repo = "bench/ours-" + round;
      Path bundle = work.resolve("bundle-" + round + ".tar.zst");
      writeBundle(layout, blobs, repo, bundle);
      if (round == 0) {
        firstRepo = repo;
        firstBundle = bundle;
      }
      boolean skopeoFirst = round % 2 == 1;
      if (skopeoFirst && skopeo != null) {
        theirs.add(skopeoCopy(skopeo, layout, registry, "bench/skopeo-" + round, work));
      }
      double[] t = upload(registryId, bundle);
      ours.add(t[0]);
      oursTotal.add(t[1]);
      if (!skopeoFirst && skopeo != null) {
        theirs.add(skopeoCopy(skopeo, layout, registry, "bench/skopeo-" + round, work));
      }
      say(
          "round %d: pack-manager push %.2f s (upload and push %.2f s); skopeo %s",
          round,
          t[0],
          t[1],
          theirs.size() > round
              ? String.format(java.util.Locale.ROOT, "%.2f s", theirs.get(round))
              : "not installed");
      if (round > 0) {
        Files.delete(bundle);
      }
    }
    double mib = blobs.bytes / (1024.0 * 1024.0);
    results.put("push_mb_per_s", mib / median(ours));
    results.put("push_s_median", median(ours));
    results.put("upload_and_push_s_median", median(oursTotal));
    if (!theirs.isEmpty()) {
      results.put("skopeo_s_median", median(theirs));
      results.put("push_vs_skopeo", median(theirs) / median(ours));
    } else {
      say("skopeo is not installed (apt install skopeo): push_vs_skopeo is not measured");
    }

    JsonNode again = uploadResult(registryId, firstBundle);
    results.put("repush_blob_bytes", again.get("bytesPushed").asDouble());
    results.put("repush_blobs_skipped", again.get("blobsSkipped").asDouble());
    say(
        "the same bundle again into %s: %d blob bytes sent, %d blobs skipped",
        firstRepo, again.get("bytesPushed").asLong(), again.get("blobsSkipped").asLong());

    Path heapBundle = work.resolve("bundle-heap.tar.zst");
    writeBundle(layout, blobs, "bench/heap", heapBundle);
    Files.delete(firstBundle);
    double idle = liveHeapMb();
    AtomicLong peak = new AtomicLong();
    ExecutorService sampler = Executors.newSingleThreadExecutor();
    java.util.concurrent.atomic.AtomicBoolean sampling =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Future<?> f =
        sampler.submit(
            () -> {
              while (sampling.get()) {
                try {
                  peak.accumulateAndGet((long) (liveHeapMb() * 1000), Math::max);
                  Thread.sleep(300);
                } catch (Exception e) {
                  return;
                }
              }
            });
    uploadResult(registryId, heapBundle);
    sampling.set(false);
    f.get(30, TimeUnit.SECONDS);
    sampler.shutdown();
    results.put("idle_live_heap_mb", idle);
    results.put("upload_heap_peak_mb", Math.max(0, peak.get() / 1000.0 - idle));
    say("live heap at rest %.1f MB, peak during an upload %.1f MB", idle, peak.get() / 1000.0);
    Files.delete(heapBundle);
  }

  /** Uploads a bundle; answers {push seconds (202 to done), upload-and-push seconds}. */
  private double[] upload(String registryId, Path bundle) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> r = postBundle(registryId, bundle);
    long accepted = System.nanoTime();
    JsonNode u = awaitUpload(JSON.readTree(r.body()).get("id").asString());
    long done = System.nanoTime();
    if (!u.get("state").asString().equals("COMPLETED")) {
      throw new IllegalStateException("the upload failed: " + u);
    }
    return new double[] {(done - accepted) / 1e9, (done - t0) / 1e9};
  }

  private JsonNode uploadResult(String registryId, Path bundle) throws Exception {
    HttpResponse<String> r = postBundle(registryId, bundle);
    return awaitUpload(JSON.readTree(r.body()).get("id").asString());
  }

  private HttpResponse<String> postBundle(String registryId, Path bundle) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/registries/" + registryId + "/bundles"))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofFile(bundle))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("the bundle was refused: " + r.body());
    }
    return r;
  }

  private JsonNode awaitUpload(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode u = JSON.readTree(get("/api/v1/uploads/" + id).body());
      String s = u.get("state").asString();
      if (s.equals("COMPLETED") || s.equals("FAILED")) {
        return u;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("upload " + id + " did not finish");
  }

  private double skopeoCopy(
      Path skopeo, Path layout, OciRegistry registry, String repo, WorkDir work) throws Exception {
    // A home of its own each time: skopeo's blob-info cache would otherwise remember where blobs
    // went before and mount them, which pack-manager's push is not allowed to know.
    Path home = Files.createTempDirectory(work.path, "skopeo-home");
    ProcessBuilder pb =
        new ProcessBuilder(
                skopeo.toString(),
                "copy",
                "--quiet",
                "--dest-tls-verify=false",
                "oci:" + layout + ":payload",
                "docker://" + URI.create(registry.baseUrl()).getAuthority() + "/" + repo + ":1")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("skopeo.log").toFile());
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
    pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException(
          "skopeo copy failed: " + Files.readString(work.resolve("skopeo.log")));
    }
    return secs(t0);
  }

  /**
   * pack-manager's live heap: the total of {@code jcmd GC.class_histogram}, which collects and
   * counts reachable objects in one safepoint. (Reading {@code GC.heap_info} after a separate
   * {@code GC.run} would count what was allocated between the two commands: during a push, up to
   * 100 MB of short-lived buffers.)
   */
  private double liveHeapMb() throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String histogram = run(jcmd.toString(), Long.toString(pid), "GC.class_histogram");
    Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    if (!m.find()) {
      throw new IllegalStateException("jcmd GC.class_histogram said: " + histogram);
    }
    return Long.parseLong(m.group(1)) / (1024.0 * 1024.0);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  // ---- the layout
  // --------------------------------------------------------------------------------

  /** The blobs of a layout: the layers, the config and the manifest, by digest. */
  record Layout(
      List<String[]> layers,
      String config,
      long configSize,
      String manifest,
      long manifestSize,
      long bytes) {}

  private static Layout randomLayout(Path dir, int seed) throws Exception {
    Path blobs = dir.resolve("blobs").resolve("sha256");
    Files.createDirectories(blobs);
    Random random = new Random(42 + seed);
    long each = BUNDLE_BYTES / BLOBS;
    byte[] buf = new byte[1 << 20];
    List<String[]> layers = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < BLOBS; i++) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      Path tmp = dir.resolve("tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        long left = each;
        while (left > 0) {
          random.nextBytes(buf);
          int n = (int) Math.min(buf.length, left);
          out.write(buf, 0, n);
          sha.update(buf, 0, n);
          left -= n;
        }
      }
      String hex = HexFormat.of().formatHex(sha.digest());
      Files.move(tmp, blobs.resolve(hex));
      layers.add(new String[] {"sha256:" + hex, Long.toString(each)});
      total += each;
    }
    StringBuilder diffIds = new StringBuilder();
    for (String[] l : layers) {
      diffIds.append(diffIds.length() == 0 ? "" : ",").append('"').append(l[0]).append('"');
    }
    byte[] config =
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds
                + "]}}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = write(blobs, config);
    StringBuilder m =
        new StringBuilder(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest
                + "\",\"size\":"
                + config.length
                + "},\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      m.append(i == 0 ? "" : ",")
          .append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
          .append(layers.get(i)[0])
          .append("\",\"size\":")
          .append(layers.get(i)[1])
          .append('}');
    }
    m.append("]}");
    byte[] manifest = m.toString().getBytes(StandardCharsets.UTF_8);
    String manifestDigest = write(blobs, manifest);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    // skopeo reads the layout with the reference "payload".
    Files.writeString(dir.resolve("index.json"), index(manifestDigest, manifest.length, "payload"));
    return new Layout(
        layers,
        configDigest,
        config.length,
        manifestDigest,
        manifest.length,
        total + config.length + manifest.length);
  }

  private static String index(String digest, long size, String ref) {
    return "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + size
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
        + ref
        + "\"}}]}";
  }

  private static String write(Path blobs, byte[] content) throws Exception {
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    Files.write(blobs.resolve(hex), content);
    return "sha256:" + hex;
  }

  /** The layout as an Easel pack bundle whose one artifact goes to {@code repo:1}. */
  private static void writeBundle(Path layout, Layout l, String repo, Path out) throws IOException {
    try (OutputStream file = Files.newOutputStream(out);
        ZstdCompressorOutputStream zstd = new ZstdCompressorOutputStream(file, 1);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd)) {
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      entry(tar, "oci-layout", Files.readAllBytes(layout.resolve("oci-layout")));
      entry(
          tar,
          "index.json",
          index(l.manifest(), l.manifestSize(), repo + ":1").getBytes(StandardCharsets.UTF_8));
      try (DirectoryStream<Path> blobs =
          Files.newDirectoryStream(layout.resolve("blobs").resolve("sha256"))) {
        for (Path b : blobs) {
          TarArchiveEntry e = new TarArchiveEntry("blobs/sha256/" + b.getFileName());
          e.setSize(Files.size(b));
          tar.putArchiveEntry(e);
          try (InputStream in = Files.newInputStream(b)) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
        }
      }
    }
  }

  private static void entry(TarArchiveOutputStream tar, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(content.length);
    tar.putArchiveEntry(e);
    tar.write(content);
    tar.closeArchiveEntry();
  }

  // ---- phase 4: sync ---------------------------------------------------------------------------

  private void sync(OciRegistry registry) throws Exception {
    long t0 = System.nanoTime();
    Pusher pusher = new Pusher(registry.baseUrl());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> all = new ArrayList<>();
    for (int n = 0; n < PACK_NAMES; n++) {
      int name = n;
      all.add(
          pool.submit(
              () -> {
                for (int v = 0; v < VERSIONS; v++) {
                  pusher.pushPack(
                      "catalog/spectro-packs/archive/" + packName(name),
                      pack(name, "1." + v + ".0"),
                      "1." + v + ".0");
                }
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    pool.shutdown();
    say(
        "pushed %,d pack versions straight to the registry in %.1f s",
        PACK_NAMES * VERSIONS, secs(t0));
    long started = System.nanoTime();
    String id =
        createRegistry(
            "{\"name\":\"catalog\",\"kind\":\"external\",\"endpoint\":\""
                + registry.baseUrl()
                + "\",\"baseContentPath\":\"catalog\"}");
    JsonNode first = awaitSync(id, "");
    double wall = secs(started);
    double server =
        Duration.between(
                    java.time.Instant.parse(first.get("startedAt").asString()),
                    java.time.Instant.parse(first.get("finishedAt").asString()))
                .toMillis()
            / 1000.0;
    int packs =
        JSON.readTree(get("/api/v1/packs?registry=catalog&limit=1").body()).get("items").size();
    say(
        "first sync: %s, %d added, %d manifests fetched, %.1f s (%.1f s from the request), %d errors",
        first.get("state").asString(),
        first.get("packsAdded").asInt(),
        first.get("manifestsFetched").asInt(),
        server,
        wall,
        first.get("errors").size());
    if (first.get("packsAdded").asInt() != PACK_NAMES * VERSIONS || packs == 0) {
      throw new IllegalStateException("the first sync did not add every pack: " + first);
    }
    results.put("sync_5000_s", server);
    String before = first.get("finishedAt").asString();
    long t1 = System.nanoTime();
    post("/api/v1/registries/" + id + "/sync");
    JsonNode second = awaitSync(id, before);
    results.put("resync_s", secs(t1));
    results.put("resync_manifest_fetches", second.get("manifestsFetched").asDouble());
    say(
        "second sync: %d manifests fetched, %d added, %d removed, %.1f s",
        second.get("manifestsFetched").asInt(),
        second.get("packsAdded").asInt(),
        second.get("packsRemoved").asInt(),
        secs(t1));
  }

  private JsonNode awaitSync(String id, String finishedBefore) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode s = JSON.readTree(get("/api/v1/registries/" + id + "/sync").body());
      String f = s.path("finishedAt").asString("");
      if (!f.isEmpty()
          && !f.equals(finishedBefore)
          && !s.get("state").asString().equals("RUNNING")) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the sync did not finish");
  }

  private static String packName(int n) {
    return "bench-pack-" + n;
  }

  private static String layer(int n) {
    return switch (n) {
      case 0 -> "os";
      case 1 -> "k8s";
      case 2 -> "cni";
      case 3 -> "csi";
      default -> "addon";
    };
  }

  /** A small, realistic pack archive: pack.json, values.yaml with images, schema.yaml. */
  private static byte[] pack(int n, String version) throws IOException {
    String name = packName(n);
    String packJson =
        "{\"name\":\""
            + name
            + "\",\"displayName\":\"Bench pack "
            + n
            + "\",\"version\":\""
            + version
            + "\",\"layer\":\""
            + layer(n)
            + "\",\"addonType\":\"system app\",\"cloudTypes\":[\"all\"],\"annotations\":{}}";
    String values =
        "pack:\n  namespace: bench-"
            + n
            + "\n  content:\n    images:\n      - image: registry.example/bench/app-"
            + n
            + ":"
            + version
            + "\ncharts:\n  app:\n    replicas: 2\n    port: 8080\n    mode: fast\n    address: 10.0.0.1\n";
    String schema =
        "charts.app.replicas:\n  schema: '{{ required | format \"${number:[1-9]}\" }}'\n"
            + "charts.app.port:\n  schema: '{{ required | format \"${number:[1-65535]}\" }}'\n"
            + "charts.app.mode:\n  schema: '{{ format \"${list:[fast,safe]}\" }}'\n"
            + "charts.app.address:\n  schema: '{{ required | format \"${ipv4}\" }}'\n";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      String top = name + "-" + version + "/";
      entry(tar, top + "pack.json", packJson.getBytes(StandardCharsets.UTF_8));
      entry(tar, top + "values.yaml", values.getBytes(StandardCharsets.UTF_8));
      entry(tar, top + "schema.yaml", schema.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  /** Pushes pack artifacts with the distribution API directly: monolithic uploads, no auth. */
  private static final class Pusher {
    private final String registry;
    private final HttpClient client = HttpClient.newHttpClient();

    Pusher(String registry) {
      this.registry = registry;
    }

    void pushPack(String repo, byte[] layer, String tag) throws Exception {
      String layerDigest = digest(layer);
      blob(repo, layerDigest, layer);
      byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
      blob(repo, digest(empty), empty);
      String manifest =
          "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
              + "\"artifactType\":\"application/vnd.easel.pack.v1\",\"config\":{\"mediaType\":"
              + "\"application/vnd.oci.empty.v1+json\",\"digest\":\""
              + digest(empty)
              + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
              + "\"digest\":\""
              + layerDigest
              + "\",\"size\":"
              + layer.length
              + "}]}";
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(registry + "/v2/" + repo + "/manifests/" + tag))
                  .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                  .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException(
            "manifest " + repo + ":" + tag + ": " + r.statusCode() + " " + r.body());
      }
    }

    private void blob(String repo, String digest, byte[] content) throws Exception {
      HttpResponse<Void> start =
          client.send(
              HttpRequest.newBuilder(URI.create(registry + "/v2/" + repo + "/blobs/uploads/"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      URI location =
          URI.create(registry).resolve(start.headers().firstValue("Location").orElseThrow());
      String sep = location.getQuery() == null ? "?" : "&";
      HttpResponse<String> put =
          client.send(
              HttpRequest.newBuilder(URI.create(location + sep + "digest=" + digest))
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (put.statusCode() != 201) {
        throw new IllegalStateException(
            "blob " + digest + ": " + put.statusCode() + " " + put.body());
      }
    }
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:"
        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }

  // ---- phase 5: validation -------------------------------------------------------------------

  private void validate() throws Exception {
    StringBuilder layers = new StringBuilder();
    for (int n = 0; n < 20; n++) {
      layers
          .append(n == 0 ? "" : ",")
          .append("{\"pack\":\"")
          .append(packName(n))
          .append(
              "\",\"version\":\"1.9.0\",\"values\":\"charts:\\n  app:\\n    replicas: 3\\n    port: '{{.spectro.var.port}}'\\n\"}");
    }
    String profile =
        "{\"name\":\"bench-twenty\",\"type\":\"full\",\"cloudType\":\"edge-native\",\"layers\":["
            + layers
            + "],\"variables\":[{\"name\":\"port\",\"format\":\"number\",\"required\":true,"
            + "\"defaultValue\":\"8443\"}]}";
    // A request per call, as the gateway mints a token per forwarded request.
    Supplier<HttpRequest> req =
        () ->
            HttpRequest.newBuilder(URI.create(base + "/api/v1/profiles/validate"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .POST(HttpRequest.BodyPublishers.ofString(profile))
                .build();
    HttpResponse<String> first = http.send(req.get(), HttpResponse.BodyHandlers.ofString());
    JsonNode v = JSON.readTree(first.body());
    if (!v.path("valid").asBoolean(false)) {
      throw new IllegalStateException("the 20-layer profile is not valid: " + first.body());
    }
    for (int i = 0; i < 100; i++) {
      http.send(req.get(), HttpResponse.BodyHandlers.discarding());
    }
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      HttpRequest one = req.get();
      long t0 = System.nanoTime();
      http.send(one, HttpResponse.BodyHandlers.discarding());
      nanos.add(System.nanoTime() - t0);
    }
    Stats s = new Stats(nanos);
    results.put("profile_validate_p50_ms", s.percentileMs(50));
    results.put("profile_validate_p99_ms", s.percentileMs(99));
    say(
        "validate a 20-layer profile: p50 %.1f ms, p99 %.1f ms",
        s.percentileMs(50), s.percentileMs(99));
  }

  // ---- plumbing --------------------------------------------------------------------------------

  private String createRegistry(String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/registries"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("the registry was refused: " + r.body());
    }
    return JSON.readTree(r.body()).get("id").asString();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void post(String path) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private void awaitHealthy(Process service) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("pack-manager exited");
      }
      try {
        if (get("/actuator/health").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("pack-manager did not become healthy");
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

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Path serviceJar() throws IOException {
    Path target = Path.of("services", "pack-manager", "target");
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(target, "easel-pack-manager-*.jar")) {
      for (Path p : jars) {
        if (!p.getFileName().toString().endsWith("-plain.jar")) {
          return p.toAbsolutePath();
        }
      }
    }
    throw new IllegalStateException("build pack-manager first: no jar in " + target);
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(Double::compare);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private void report() throws IOException {
    Map<String, String> goals =
        Map.of(
            "push_mb_per_s", "reported",
            "push_vs_skopeo", ">= 0.9",
            "repush_blob_bytes", "0",
            "upload_heap_peak_mb", "<= 64",
            "sync_5000_s", "<= 60",
            "resync_manifest_fetches", "0",
            "profile_validate_p99_ms", "<= 50");
    results.forEach(
        (k, v) ->
            say(
                "%-32s %12s %14s",
                k,
                v instanceof Number n
                    ? String.format(java.util.Locale.ROOT, "%.2f", n.doubleValue())
                    : v,
                goals.getOrDefault(k, "")));
    Report.write("packs", results);
  }

  private static void say(String format, Object... args) {
    Report.say(format, args);
  }
}
