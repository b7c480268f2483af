package dev.easel.devstack;

import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestPlanKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The whole system on one machine: a real Kafka broker, a real PostgreSQL with one database per
 * service, an S3-compatible server, then every service module that has been built, each in its own
 * JVM. Data lives under {@code .easel/} and survives restarts; Ctrl-C stops everything in reverse
 * order.
 */
public final class Devstack {

  /** S3Proxy's secret under {@code .easel/secrets}; its identity is {@code easel}. */
  static final String S3_SECRET = "s3-secret";

  /** Every service Easel has or will have. A new service adds its line here. */
  static final List<ServiceSpec> SERVICES =
      List.of(
          new ServiceSpec("node-discovery", 8081, "easel_nodes", "nodes"),
          new ServiceSpec("cluster-former", 8082, "easel_clusters", "clusters"),
          new ServiceSpec("pack-manager", 8083, "easel_packs", "packs"),
          new ServiceSpec("compliance", 8084, "easel_compliance", "compliance"),
          new ServiceSpec("audit", 8085, "easel_audit", "audit"),
          new ServiceSpec("gateway", 8080, "easel_gateway", "gateway"));

  private final DevstackOptions options;
  private LocalRegistry.Running registry;
  private LocalObjectStore s3;
  private Children children;
  private KraftBroker kafka;
  private PostgresServer postgres;

  Devstack(DevstackOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    DevstackOptions options;
    try {
      options = DevstackOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("easel up: " + e.getMessage());
      System.err.println(DevstackOptions.USAGE);
      System.exit(2);
      return;
    }
    Devstack stack = new Devstack(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stack.stop();
                  stopped.countDown();
                },
                "easel-devstack-stop"));
    try {
      stack.start();
    } catch (RuntimeException e) {
      System.err.println("easel up: " + e.getMessage());
      System.exit(1);
    }
    if (options.exitAfterStart()) {
      System.exit(0);
    }
    stopped.await();
  }

  void start() {
    Path data = options.dataDir();
    say("Easel devstack: data in " + data.toAbsolutePath());
    Map<ServiceSpec, Path> present = presentServices();
    Optional<Path> s3Jar = LocalObjectStore.jar(options.root());
    requireFreePorts(present.keySet(), s3Jar.isPresent());
    children = new Children(data.resolve("run"));
    long t0 = System.nanoTime();
    kafka = new KraftBroker(data.resolve("kafka"), options.kafkaPort(), 3).start();
    say("  kafka           " + kafka.bootstrapServers() + "  (" + ms(t0) + " ms)");
    long t1 = System.nanoTime();
    // Users keep data here, so every commit reaches the disk before it is acknowledged.
    postgres =
        PostgresServer.start(
            data.resolve("postgres"), options.postgresPort(), PostgresServer.DURABLE);
    children.postmaster(data.resolve("postgres"));
    for (ServiceSpec s : SERVICES) {
      postgres.ensureDatabase(s.database());
    }
    say(
        "  postgresql      "
            + postgres.jdbcUrl("<database>")
            + "  user postgres, password postgres  ("
            + ms(t1)
            + " ms)");
    if (present.keySet().stream().anyMatch(s -> s.name().equals("pack-manager"))) {
      startRegistry();
    }
    // S3Proxy starts while the services do: each takes seconds, mostly in its own JVM's startup.
    long t2 = System.nanoTime();
    s3Jar.ifPresent(this::launchObjectStore);
    Map<ServiceSpec, Process> started = new LinkedHashMap<>();
    present.forEach((spec, jar) -> started.put(spec, launch(spec, jar)));
    awaitObjectStore(t2);
    if (present.isEmpty()) {
      say("  services        none built yet (modules appear under services/ as they are written)");
    }
    started.forEach((spec, process) -> awaitHealthy(spec, process));
    if (started.keySet().stream().anyMatch(s -> s.name().equals("gateway"))) {
      announceGateway();
    }
    if (options.demoNodes() > 0) {
      if (started.keySet().stream().anyMatch(s -> s.name().equals("node-discovery"))) {
        startDemo();
      }
      if (started.keySet().stream().anyMatch(s -> s.name().equals("pack-manager"))) {
        demoPacks();
      }
      if (started.keySet().stream().anyMatch(s -> s.name().equals("cluster-former"))
          && started.keySet().stream().anyMatch(s -> s.name().equals("node-discovery"))) {
        demoCluster(started.keySet().stream().anyMatch(s -> s.name().equals("compliance")));
      }
    }
    say("Ready. Ctrl-C stops everything; data stays in " + data + " for the next run.");
  }

  Map<ServiceSpec, Path> presentServices() {
    Map<ServiceSpec, Path> found = new LinkedHashMap<>();
    for (ServiceSpec s : SERVICES) {
      if (!options.only().isEmpty() && !options.only().contains(s.name())) {
        continue;
      }
      findJar(options.root().resolve("services").resolve(s.name()).resolve("target"), s.name())
          .ifPresent(jar -> found.put(s, jar));
    }
    return found;
  }

  private static Optional<Path> findJar(Path target, String name) {
    if (!Files.isDirectory(target)) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*" + name + "*.jar")) {
      for (Path jar : jars) {
        if (isBootJar(jar)) {
          return Optional.of(jar);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * Only an executable Spring Boot jar is a runnable service; a module still being built is not.
   */
  private static boolean isBootJar(Path jar) {
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      java.util.jar.Manifest manifest = file.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Start-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Refuses to start over anything that holds a port this stack needs: a stack whose services
   * answered on ports held by a stale process would look ready while talking to the wrong one.
   */
  private void requireFreePorts(java.util.Collection<ServiceSpec> services, boolean s3) {
    Map<String, Integer> needed = new LinkedHashMap<>();
    needed.put("kafka", options.kafkaPort());
    needed.put("postgresql", options.postgresPort());
    if (s3) {
      needed.put("s3proxy", options.s3Port());
    }
    services.forEach(s -> needed.put(s.name(), options.portOf(s)));
    if (services.stream().anyMatch(s -> s.name().equals("pack-manager"))) {
      needed.put("the internal registry", options.registryPort());
    }
    List<String> taken = new ArrayList<>();
    needed.forEach(
        (what, port) -> {
          if (!Ports.isFree(port)) {
            taken.add(
                "port " + port + " (for " + what + ") is taken by " + Ports.describeHolder(port));
          }
        });
    if (!taken.isEmpty()) {
      throw new IllegalStateException(
          String.join("; ", taken)
              + ". Stop what holds it, or run on other ports with --port-offset N.");
    }
  }

  /** The internal registry on its port, when zot or docker-registry is installed. */
  private void startRegistry() {
    int port = options.registryPort();
    if (!Ports.isFree(port)) {
      throw new IllegalStateException(
          "port " + port + " (for the registry) is taken by " + Ports.describeHolder(port));
    }
    try {
      long t0 = System.nanoTime();
      registry =
          LocalRegistry.start(
                  options.dataDir().resolve("registry"), port, options.dataDir().resolve("logs"))
              .orElse(null);
      if (registry == null) {
        say(
            "  registry        none: install zot (zotregistry.dev) or Debian's docker-registry"
                + " (apt install docker-registry) for the internal registry; until then packs go"
                + " to external registries only");
        return;
      }
      children.add(registry.process());
      say(
          String.format(
              "  %-15s %s  (%s, data in %s, %d ms)",
              "registry",
              registry.url(),
              registry.kind(),
              options.dataDir().resolve("registry"),
              ms(t0)));
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not start the internal registry: " + e.getMessage(), e);
    }
  }

  /** S3Proxy on its port, with the secret made on the first start; {@link #awaitObjectStore}. */
  private void launchObjectStore(Path jar) {
    try {
      Path secret = secretKey(S3_SECRET);
      s3 =
          LocalObjectStore.launch(
              jar,
              options.s3Port(),
              Files.readString(secret).trim(),
              options.dataDir().resolve("s3"),
              secretsDir().resolve("s3proxy.properties"),
              options.dataDir().resolve("logs"));
      children.add(s3.process());
    } catch (IOException e) {
      throw new IllegalStateException("could not start S3Proxy: " + e.getMessage(), e);
    }
  }

  /** Waits for S3Proxy when it was started, and says where it is, or why it is not there. */
  private void awaitObjectStore(long since) {
    if (s3 == null) {
      say(
          "  s3proxy         none: "
              + options.root().resolve(LocalObjectStore.JAR)
              + " is not built (./easel build); the demo makes no backups without it");
      return;
    }
    s3.awaitReady(Duration.ofSeconds(60));
    say(
        String.format(
            "  %-15s %s  (identity %s, secret in %s, bucket %s, data in %s, %d ms)",
            "s3proxy",
            s3.endpoint(),
            LocalObjectStore.IDENTITY,
            options.dataDir().resolve("secrets").resolve(S3_SECRET),
            LocalObjectStore.BUCKET,
            options.dataDir().resolve("s3"),
            ms(since)));
  }

  /** What a service needs beyond the shared settings. */
  private List<String> extraArgs(ServiceSpec spec) throws IOException {
    List<String> args = new ArrayList<>(serviceArgs(spec));
    if (spec.name().equals("gateway")) {
      // Made owner-only before the gateway writes its first secrets there.
      secretsDir();
      args.add("--easel.gateway.bootstrap.password-file=" + adminPasswordFile());
      args.add("--easel.gateway.bootstrap.token-file=" + apiTokenFile());
      for (ServiceSpec s : SERVICES) {
        if (!s.name().equals("gateway")) {
          args.add(
              "--easel.gateway.services." + s.context() + "=http://127.0.0.1:" + options.portOf(s));
        }
      }
    } else {
      // Services take /api/v1 only with the gateway's signed identity.
      args.add("--easel.identity.jwks-uri=" + gatewayUrl() + "/.well-known/jwks.json");
    }
    return args;
  }

  private List<String> serviceArgs(ServiceSpec spec) throws IOException {
    if (spec.name().equals("node-discovery")) {
      return List.of(
          "--easel.nodes.secret-key-file=" + secretKey("nodes.key"),
          // Opens the plan secrets senders seal to plans.pub (docs/adr/0010).
          "--easel.nodes.plan-private-key-file=" + planKeys().resolve("plans.key"),
          // Files agents upload; compliance reads them by the location node-discovery gives.
          "--easel.nodes.artifacts.dir=" + options.dataDir().resolve("artifacts"));
    }
    if (spec.name().equals("cluster-former")) {
      return List.of(
          "--easel.clusters.secret-key-file=" + secretKey("clusters.key"),
          "--easel.plans.public-key-file=" + planKeys().resolve("plans.pub"));
    }
    if (spec.name().equals("compliance")) {
      return List.of(
          // Seals backup location credentials at rest.
          "--easel.compliance.secret-key-file=" + secretKey("compliance.key"),
          // A backup's progress read every second: the devstack is for watching it happen.
          "--easel.compliance.backups.poll-interval=1s",
          "--easel.plans.public-key-file=" + planKeys().resolve("plans.pub"));
    }
    if (!spec.name().equals("pack-manager")) {
      return List.of();
    }
    List<String> args = new ArrayList<>();
    args.add("--easel.packs.secret-key-file=" + secretKey("packs.key"));
    args.add("--easel.packs.spool-dir=" + options.dataDir().resolve("tmp").resolve("pack-uploads"));
    // The internal registry listens on loopback; on this machine that is where it lives.
    args.add("--easel.packs.registries.allow-loopback=true");
    if (registry != null) {
      args.add("--easel.packs.internal-registry.endpoint=" + registry.url());
    }
    return args;
  }

  /** {@code .easel/secrets}, readable by its owner only. */
  private Path secretsDir() throws IOException {
    Path dir = options.dataDir().resolve("secrets");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
    return dir;
  }

  /**
   * A 256-bit key under {@code .easel/secrets}, made on the first start, readable by its owner
   * only.
   */
  private Path secretKey(String name) throws IOException {
    Path dir = secretsDir();
    Path key = dir.resolve(name);
    if (!Files.exists(key)) {
      byte[] bytes = new byte[32];
      new java.security.SecureRandom().nextBytes(bytes);
      Path tmp = dir.resolve(name + ".tmp");
      Files.writeString(tmp, java.util.Base64.getEncoder().encodeToString(bytes));
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return key;
  }

  /**
   * node-discovery's plan key pair under {@code .easel/secrets}, made on the first start: {@code
   * plans.key} (PKCS#8 PEM, readable by its owner only) for node-discovery, {@code plans.pub}
   * (X.509 PEM) for the services that send plans, which seal plan secrets to it. The private key is
   * written last, so a start interrupted halfway makes a whole new pair the next time.
   */
  private Path planKeys() throws IOException {
    Path dir = secretsDir();
    Path key = dir.resolve("plans.key");
    Path pub = dir.resolve("plans.pub");
    if (!Files.exists(key) || !Files.exists(pub)) {
      Path tmpKey = dir.resolve("plans.key.new");
      Path tmpPub = dir.resolve("plans.pub.new");
      TestPlanKeys.writeNewPair(tmpKey, tmpPub);
      Files.move(tmpPub, pub, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpKey, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    return dir;
  }

  private ServiceSpec gateway() {
    return SERVICES.stream().filter(s -> s.name().equals("gateway")).findFirst().orElseThrow();
  }

  String gatewayUrl() {
    return "http://127.0.0.1:" + options.portOf(gateway());
  }

  private Path adminPasswordFile() {
    return options.dataDir().resolve("secrets").resolve("admin-password");
  }

  private Path apiTokenFile() {
    return options.dataDir().resolve("secrets").resolve("api-token");
  }

  /** This machine's admin API token, made by the gateway on its first start. */
  private String apiToken() {
    try {
      return Files.readString(apiTokenFile()).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private String curl(String path) {
    return "curl -H \"Authorization: Bearer $(cat " + apiTokenFile() + ")\" " + gatewayUrl() + path;
  }

  /**
   * Where to sign in, once with the first admin's one-time password (then the file is deleted, so
   * it is printed only once), and the token for scripts.
   */
  private void announceGateway() {
    say("                  console: " + gatewayUrl() + "/  (open it in a browser, sign in below)");
    say("                  API documents: " + gatewayUrl() + "/docs");
    Path password = adminPasswordFile();
    if (Files.exists(password)) {
      try {
        say(
            "                  first sign-in: user admin, one-time password "
                + Files.readString(password).trim()
                + " (you must change it; it is not shown again)");
        Files.delete(password);
      } catch (IOException e) {
        say("                  the first admin's password is in " + password);
      }
    }
    say("                  API token for scripts: " + apiTokenFile());
    say("                  " + curl("/api/v1/session"));
  }

  /**
   * The management cluster formed from three demo nodes, and where to watch it; with compliance
   * running, a configuration scan of it and where to download its report.
   */
  private void demoCluster(boolean compliance) {
    ServiceSpec clusters =
        SERVICES.stream().filter(s -> s.name().equals("cluster-former")).findFirst().orElseThrow();
    try {
      long t0 = System.nanoTime();
      ClusterDemo demo = new ClusterDemo(gatewayUrl(), apiToken(), apiTokenFile());
      List<String> lines = demo.run(java.time.Duration.ofMinutes(3));
      say("  demo cluster    (" + ms(t0) + " ms)");
      for (String line : lines) {
        say("                  " + line);
      }
      if (demo.runningId() != null && compliance) {
        long t1 = System.nanoTime();
        List<String> scan =
            new ComplianceDemo(gatewayUrl(), apiToken(), apiTokenFile())
                .run(demo.runningId(), java.time.Duration.ofMinutes(2));
        say("  demo compliance (" + ms(t1) + " ms)");
        for (String line : scan) {
          say("                  " + line);
        }
        demoBackups(demo.runningId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      say("  demo cluster    failed: " + e.getMessage());
    }
  }

  /**
   * A backup of the management cluster into the devstack's S3Proxy, found there, and restored into
   * the same cluster.
   */
  private void demoBackups(String clusterId) throws InterruptedException {
    if (s3 == null) {
      say("  demo backups    skipped: no S3Proxy (see above)");
      return;
    }
    long t0 = System.nanoTime();
    try {
      // The simulated Velero takes 4 s per backup or restore, and compliance reads its state
      // every 5 s; the rest is plans on the simulated agent.
      List<String> lines =
          new BackupDemo(gatewayUrl(), apiToken(), apiTokenFile(), s3.endpoint(), s3.secret())
              .run(clusterId, Duration.ofMinutes(3));
      say("  demo backups    (" + ms(t0) + " ms)");
      for (String line : lines) {
        say("                  " + line);
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      say("  demo backups    failed: " + e.getMessage());
    }
  }

  /** The appliance's packs into the internal registry, and its profile published. */
  private void demoPacks() {
    if (registry == null) {
      say("  demo packs      skipped: no internal registry (see above)");
      return;
    }
    ServiceSpec packs =
        SERVICES.stream().filter(s -> s.name().equals("pack-manager")).findFirst().orElseThrow();
    Path root =
        options
            .root()
            .resolve("services")
            .resolve("pack-manager")
            .resolve("src")
            .resolve("main")
            .resolve("resources");
    try {
      long t0 = System.nanoTime();
      List<String> done =
          new PackDemo(
                  gatewayUrl(),
                  apiToken(),
                  root.resolve("packs"),
                  root.resolve("profiles")
                      .resolve(PackDemo.PROFILE + "-" + PackDemo.VERSION + ".yaml"))
              .run();
      say("  demo packs      pushed to the internal registry (" + ms(t0) + " ms):");
      for (String line : done) {
        say("                  " + line);
      }
      say("                  " + curl("/api/v1/packs"));
    } catch (IOException | RuntimeException e) {
      say("  demo packs      failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Process launch(ServiceSpec spec, Path jar) {
    try {
      Path logs = options.dataDir().resolve("logs");
      Files.createDirectories(logs);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx384m");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-jar");
      cmd.add(jar.toString());
      cmd.add("--easel.parent-pid=" + ProcessHandle.current().pid());
      cmd.add("--server.port=" + options.portOf(spec));
      cmd.add("--spring.datasource.url=" + postgres.jdbcUrl(spec.database()));
      cmd.add("--spring.datasource.username=" + postgres.username());
      cmd.add("--spring.datasource.password=" + postgres.password());
      cmd.add("--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers());
      cmd.addAll(extraArgs(spec));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(logs.resolve(spec.name() + ".log").toFile()));
      Process p = pb.start();
      children.add(p);
      return p;
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + spec.name(), e);
    }
  }

  /**
   * A registration token and a simulated agent with a few machines, so a newcomer sees nodes
   * appear. The agent keeps its machines in {@code .easel/demo-agent}, so the same nodes come back
   * on the next run.
   */
  private void startDemo() {
    ServiceSpec nodes =
        SERVICES.stream().filter(s -> s.name().equals("node-discovery")).findFirst().orElseThrow();
    Path agentJar = options.root().resolve("agent").resolve("target").resolve("easel-agent.jar");
    if (!Files.isRegularFile(agentJar)) {
      say("  demo            skipped: " + agentJar + " is not built");
      return;
    }
    String server = "http://127.0.0.1:" + options.portOf(nodes);
    try {
      HttpResponse<String> created =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(gatewayUrl() + "/api/v1/registration-tokens"))
                      .header("Content-Type", "application/json")
                      .header("Authorization", "Bearer " + apiToken())
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"name\":\"demo-"
                                  + System.currentTimeMillis()
                                  + "\",\"ttlSeconds\":86400,\"maxUses\":100,"
                                  + "\"labels\":{\"demo\":\"true\"}}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (created.statusCode() != 201) {
        say("  demo            skipped: the token was refused: " + created.body());
        return;
      }
      String token =
          tools.jackson.databind.json.JsonMapper.builder()
              .build()
              .readTree(created.body())
              .get("token")
              .asString();
      Path logs = options.dataDir().resolve("logs");
      // The token goes in a 0600 file, not on a command line anyone on the machine can read.
      Path tokenFile = options.dataDir().resolve("demo-agent.token");
      Files.writeString(tokenFile, token);
      Files.setPosixFilePermissions(
          tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      List<String> cmd =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx128m",
              "-XX:TieredStopAtLevel=1",
              "-Deasel.parent-pid=" + ProcessHandle.current().pid(),
              "-jar",
              agentJar.toString(),
              "simulate",
              "--server",
              server,
              "--insecure-http",
              "--token-file",
              tokenFile.toString(),
              "--nodes",
              Integer.toString(options.demoNodes()),
              "--state-dir",
              options.dataDir().resolve("demo-agent").toString(),
              // as slow as a real formation is quick: install 2 s, join 1 s, apply 0.5 s
              "--step-latency",
              "install=2s,join=1s,apply=500ms,default=100ms..300ms",
              // The demo forms a cluster; failures are for ./easel agent simulate to inject.
              "--failure-rate",
              "0");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(logs.resolve("demo-agent.log").toFile()))
              .start();
      children.add(p);
      say(
          "  demo            "
              + options.demoNodes()
              + " simulated nodes (pid "
              + p.pid()
              + ", log "
              + logs.resolve("demo-agent.log")
              + ")");
      say("                  " + curl("/api/v1/nodes"));
      say(
          "                  stop them with: kill "
              + p.pid()
              + "; bring them back with: ./easel agent simulate --server "
              + server
              + " --insecure-http --token-file "
              + tokenFile
              + " --nodes "
              + options.demoNodes()
              + " --state-dir "
              + options.dataDir().resolve("demo-agent"));
    } catch (IOException e) {
      say("  demo            skipped: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the service answers its health check, and the answer comes from the process this
   * stack started: a health check alone would be fooled by a stale process on the same port.
   */
  private void awaitHealthy(ServiceSpec spec, Process process) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    int port = options.portOf(spec);
    String url = "http://127.0.0.1:" + port;
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name()
                + " exited; see "
                + options.dataDir().resolve("logs").resolve(spec.name() + ".log"));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/actuator/health")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          java.util.Optional<ProcessHandle> listener = Ports.listener(port);
          if (listener.isPresent() && listener.get().pid() != process.pid()) {
            throw new IllegalStateException(
                spec.name()
                    + ": port "
                    + port
                    + " is answered by "
                    + Ports.describeHolder(port)
                    + ", not by the process this stack started (pid "
                    + process.pid()
                    + ")");
          }
          say(
              String.format(
                  "  %-15s %s  (%s)",
                  spec.name(),
                  url,
                  spec.name().equals("gateway")
                      ? "the web console and the API"
                      : "its API only through the gateway"));
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sleep(500);
    }
    throw new IllegalStateException(spec.name() + " did not become healthy within 3 minutes");
  }

  synchronized void stop() {
    if (children == null && postgres == null && kafka == null) {
      return; // nothing was started
    }
    say("Stopping...");
    if (children != null) {
      children.stopProcesses();
    }
    registry = null;
    s3 = null;
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
    if (kafka != null) {
      kafka.stop();
      kafka = null;
    }
    if (children != null) {
      children.close();
      children = null;
    }
    say("Stopped.");
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
