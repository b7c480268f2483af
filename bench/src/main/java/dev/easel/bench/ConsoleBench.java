package dev.easel.bench;

import static dev.easel.bench.Report.say;

import dev.easel.testing.PortOffsets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The console benchmark: the whole system as {@code ./easel up --demo} runs it (the devstack jar,
 * every service in its own JVM, a real broker, a durable PostgreSQL), 10,000 more simulated nodes
 * in the agent's simulator as its own process, and an operator signed in to the console over plain
 * HTTP as a browser would be. Everything shares this machine's cores.
 *
 * <p>Nodes: the first page of {@code /nodes}, {@code /nodes?state=READY}, {@code
 * /nodes?selector=bench%3Dconsole} and a page a few {@code rel="next"} links in, one request at a
 * time, each interleaved with the {@code /api/v1/nodes} request that page wraps, with the same
 * session. Times are full responses on loopback (sent to the last byte read): an upper bound of the
 * server's time.
 *
 * <p>Clusters: 3-node clusters formed one after another from the published profile; while each
 * forms, two client threads fetch {@code /clusters/{id}} and {@code /api/v1/clusters/{id}/timeline}
 * in turn, without pause. A sample counts only when it ended before the last poll that still saw
 * the cluster PROVISIONING began, so every counted sample was taken during formation.
 *
 * <p>Settings: {@code -Deasel.bench.console.nodes} (10000), {@code .formations} (5), {@code
 * .samples} (300 per series), {@code .settle-seconds} (30, after the nodes are in), {@code
 * .port-offset} (the first free one from 31000), {@code .agents-via} ({@code node-discovery}, as
 * the devstack's own demo agent; {@code gateway} sends the simulator through the gateway's {@code
 * /agent/v1} route).
 */
final class ConsoleBench {

  private static final int NODES = Integer.getInteger("easel.bench.console.nodes", 10_000);
  private static final int FORMATIONS = Integer.getInteger("easel.bench.console.formations", 5);
  private static final int SAMPLES = Integer.getInteger("easel.bench.console.samples", 300);
  private static final int SETTLE_SECONDS =
      Integer.getInteger("easel.bench.console.settle-seconds", 30);
  private static final String AGENTS_VIA =
      System.getProperty("easel.bench.console.agents-via", "node-discovery");
  private static final int WARM_UP = 20;
  private static final int DEEP_PAGE = 5;
  private static final int CLIENT_THREADS = 2;
  private static final double GOAL_P95_MS = 200;
  private static final String NEW_PASSWORD = "Bench-Console-2026!";
  private static final String LABEL = "bench=console";
  private static final Duration READY_WITHIN = Duration.ofMinutes(12);
  private static final Duration FORMATION_WITHIN = Duration.ofMinutes(5);

  /** Every port the devstack listens on, before its offset. */
  private static final Pattern CSRF_FIELD =
      Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>", Pattern.CASE_INSENSITIVE);

  private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");
  private static final Pattern NEXT_LINK =
      Pattern.compile("<a\\b[^>]*rel=\"next\"[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");
  private static final Pattern ONE_TIME_PASSWORD = Pattern.compile("one-time password (\\S+)");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private String base;
  private String apiToken;
  private String session;

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-console")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("nodes_simulated", NODES);
    results.put("loadavg_1m_start", loadAverage1m());
    results.put("loadavg_start", loadAverage());
    Thread hook = new Thread(this::stopAll, "console-bench-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int offset = portOffset();
      base = "http://127.0.0.1:" + (8080 + offset);
      Path root = snapshot(Path.of("").toAbsolutePath(), work.resolve("root"));
      Path data = work.resolve("devstack");
      Path log = work.resolve("devstack.log");
      Process devstack = startDevstack(root, data, offset, log);
      String oneTimePassword = awaitReady(devstack, log);
      apiToken = Files.readString(data.resolve("secrets").resolve("api-token")).trim();
      long before = summary().path("total").asLong();
      Process simulator = startSimulator(root, work, offset);
      awaitNodes(before + NODES, simulator);
      if (SETTLE_SECONDS > 0) {
        say("letting heartbeats and plan polls settle for %d s", SETTLE_SECONDS);
        Thread.sleep(SETTLE_SECONDS * 1000L);
      }
      results.put("loadavg_1m_measuring", loadAverage1m());
      signIn(oneTimePassword);
      nodesPages();
      clusterPages();
      results.put("nodes_total", summary().path("total").asLong());
      results.put("loadavg_1m_end", loadAverage1m());
      results.put("loadavg_end", loadAverage());
    } finally {
      stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the hook has run
      }
    }
    report();
  }

  // ---- the stack -----------------------------------------------------------------------------

  /**
   * A copy of what the devstack runs (its jar, the services' jars, the agent's, S3Proxy's, and the
   * demo's packs and profile) in the work directory, so a build during the run cannot change a jar
   * under a running JVM.
   */
  private static Path snapshot(Path from, Path to) throws Exception {
    long t0 = System.nanoTime();
    copyJar(
        jar(from.resolve("devstack").resolve("target"), "easel-devstack-"),
        to.resolve("devstack").resolve("target"));
    Path s3 = from.resolve("devstack").resolve("target").resolve("s3proxy").resolve("s3proxy.jar");
    if (Files.isRegularFile(s3)) {
      copyJar(s3, to.resolve("devstack").resolve("target").resolve("s3proxy"));
    }
    copyJar(
        from.resolve("agent").resolve("target").resolve("easel-agent.jar"),
        to.resolve("agent").resolve("target"));
    try (DirectoryStream<Path> services = Files.newDirectoryStream(from.resolve("services"))) {
      for (Path service : services) {
        Path target = service.resolve("target");
        String name = service.getFileName().toString();
        if (Files.isDirectory(target)) {
          try {
            copyJar(
                jar(target, "easel-" + name + "-"),
                to.resolve("services").resolve(name).resolve("target"));
          } catch (IllegalStateException e) {
            say("  %s is not built: the stack runs without it", name);
          }
        }
      }
    }
    Path resources = Path.of("services", "pack-manager", "src", "main", "resources");
    for (String dir : List.of("packs", "profiles")) {
      Path src = from.resolve(resources).resolve(dir);
      try (java.util.stream.Stream<Path> all = Files.walk(src)) {
        for (Path p : all.toList()) {
          Path dst = to.resolve(resources).resolve(dir).resolve(src.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(dst);
          } else {
            Files.copy(p, dst);
          }
        }
      }
    }
    say("copied the built system to %s in %.1f s", to, (System.nanoTime() - t0) / 1e9);
    return to;
  }

  /** Copies a jar, again while it is being written (one that does not open as a zip). */
  private static void copyJar(Path jar, Path into) throws Exception {
    Files.createDirectories(into);
    Path dst = into.resolve(jar.getFileName());
    for (int attempt = 1; ; attempt++) {
      Files.copy(jar, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dst.toFile())) {
        if (zip.size() > 0) {
          return;
        }
      } catch (IOException e) {
        if (attempt >= 6) {
          throw new IllegalStateException(jar + " is not a whole jar: " + e.getMessage(), e);
        }
      }
      if (attempt >= 6) {
        throw new IllegalStateException(jar + " holds nothing");
      }
      Thread.sleep(10_000);
    }
  }

  private Process startDevstack(Path root, Path data, int offset, Path log) throws IOException {
    List<String> cmd =
        List.of(
            java(),
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar(root.resolve("devstack").resolve("target"), "easel-devstack-").toString(),
            "--root",
            root.toString(),
            "--data-dir",
            data.toString(),
            "--port-offset",
            Integer.toString(offset),
            "--demo");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
    say("devstack pid %d, port offset %d, gateway %s, log %s", p.pid(), offset, base, log);
    return p;
  }

  /** Waits for "Ready." and answers the first admin's one-time password. */
  private String awaitReady(Process devstack, Path log) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      if (!devstack.isAlive()) {
        throw new IllegalStateException("the devstack exited:\n" + tail(out, 40));
      }
      if (out.contains("Ready.")) {
        Matcher m = ONE_TIME_PASSWORD.matcher(out);
        if (!m.find()) {
          throw new IllegalStateException("the devstack printed no one-time password");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        results.put("stack_ready_s", s);
        say("devstack ready with its demo in %.0f s", s);
        for (String line : out.split("\n")) {
          if (line.contains("demo ") && line.contains("failed")) {
            say("  the devstack said: %s", line.strip());
          }
        }
        return m.group(1);
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the devstack was not ready within "
            + READY_WITHIN
            + ":\n"
            + tail(Files.readString(log), 40));
  }

  private Process startSimulator(Path root, WorkDir work, int offset) throws Exception {
    HttpResponse<String> created =
        send(
            bearer("/api/v1/registration-tokens")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"bench\",\"ttlSeconds\":3600,\"maxUses\":"
                            + Math.max(20_000, NODES * 2)
                            + ",\"labels\":{\"bench\":\"console\"}}"))
                .build());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("the registration token was refused: " + created.body());
    }
    Path tokenFile = work.resolve("registration-token");
    Files.writeString(tokenFile, JSON.readTree(created.body()).get("token").asString());
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    String server = AGENTS_VIA.equals("gateway") ? base : "http://127.0.0.1:" + (8081 + offset);
    Path log = work.resolve("simulator.log");
    List<String> cmd =
        List.of(
            java(),
            "-Xmx1g",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Deasel.parent-pid=" + ProcessHandle.current().pid(),
            "-jar",
            root.resolve("agent").resolve("target").resolve("easel-agent.jar").toString(),
            "simulate",
            "--server",
            server,
            "--insecure-http",
            "--token-file",
            tokenFile.toString(),
            "--nodes",
            Integer.toString(NODES),
            "--state-dir",
            work.resolve("simulator").toString(),
            "--step-latency",
            "install=2s,join=1s,apply=500ms,default=100ms..300ms",
            "--failure-rate",
            "0");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(0, p); // stopped before the stack it talks to
    say("simulator pid %d: %,d nodes against %s, log %s", p.pid(), NODES, server, log);
    return p;
  }

  private void awaitNodes(long wanted, Process simulator) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofMinutes(15).toNanos();
    long total = 0;
    long said = t0;
    while (System.nanoTime() < deadline) {
      if (!simulator.isAlive()) {
        throw new IllegalStateException("the simulator exited with " + simulator.exitValue());
      }
      total = summary().path("total").asLong();
      if (total >= wanted) {
        double s = (System.nanoTime() - t0) / 1e9;
        results.put("nodes_registered_s", s);
        say("%,d nodes known to node-discovery after %.0f s", total, s);
        return;
      }
      if (System.nanoTime() - said > 15_000_000_000L) {
        say("  %,d of %,d nodes so far", total, wanted);
        said = System.nanoTime();
      }
      Thread.sleep(2_000);
    }
    throw new IllegalStateException("only " + total + " of " + wanted + " nodes registered");
  }

  private JsonNode summary() throws Exception {
    HttpResponse<String> r = send(bearer("/api/v1/nodes/summary").build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the node summary answered " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }

  // ---- signing in ----------------------------------------------------------------------------

  /** The sign-in form, then the password change every new operator is sent to, as a browser. */
  private void signIn(String oneTimePassword) throws Exception {
    HttpResponse<String> form = send(page("/login").build());
    expect(form, 200, "GET /login");
    session = cookie(form, null);
    HttpResponse<String> signedIn =
        send(
            form(
                "/login",
                Map.of("username", "admin", "password", oneTimePassword, "_csrf", csrf(form))));
    expect(signedIn, 302, "POST /login");
    session = cookie(signedIn, session);
    String to = signedIn.headers().firstValue("Location").orElse("");
    if (!to.endsWith("/password")) {
      throw new IllegalStateException("signing in led to '" + to + "', not to /password");
    }
    HttpResponse<String> change = send(page("/password").build());
    expect(change, 200, "GET /password");
    session = cookie(change, session);
    HttpResponse<String> changed =
        send(
            form(
                "/password",
                Map.of(
                    "currentPassword",
                    oneTimePassword,
                    "newPassword",
                    NEW_PASSWORD,
                    "repeatPassword",
                    NEW_PASSWORD,
                    "_csrf",
                    csrf(change))));
    expect(changed, 302, "POST /password");
    session = cookie(changed, session);
    expect(send(page("/nodes").build()), 200, "GET /nodes after signing in");
    say("signed in to the console as admin, password changed");
  }

  private HttpRequest form(String path, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (k, v) ->
            body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return page(path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  /** The session cookie a response set, or the one before. */
  private static String cookie(HttpResponse<?> r, String before) {
    for (String c : r.headers().allValues("Set-Cookie")) {
      if (c.startsWith("EASEL_SESSION=")) {
        return c.substring(
            "EASEL_SESSION=".length(), c.indexOf(';') < 0 ? c.length() : c.indexOf(';'));
      }
    }
    return before;
  }

  private static String csrf(HttpResponse<String> r) {
    Matcher field = CSRF_FIELD.matcher(r.body());
    if (!field.find()) {
      throw new IllegalStateException("no CSRF field on " + r.uri());
    }
    Matcher v = VALUE.matcher(field.group());
    if (!v.find()) {
      throw new IllegalStateException("a CSRF field without a value on " + r.uri());
    }
    return unescape(v.group(1));
  }

  // ---- nodes ---------------------------------------------------------------------------------

  private record Pair(String name, String page, String api) {}

  private void nodesPages() throws Exception {
    // A page a few "Next page" links in; when one of them fails, the deep page is the one that
    // failed, measured (and counted as failing) like the others.
    String deep = "/nodes";
    int depth = 1;
    for (; depth < DEEP_PAGE; depth++) {
      String next = null;
      try {
        HttpResponse<String> r = send(page(deep).build());
        if (r.statusCode() == 200) {
          next = nextLink(r.body());
        } else {
          say("  GET %s answered %d", deep, r.statusCode());
        }
      } catch (IOException e) {
        say("  GET %s failed: %s", deep, e.getMessage());
      }
      if (next == null) {
        break;
      }
      deep = next;
    }
    String deepQuery = deep.contains("?") ? deep.substring(deep.indexOf('?') + 1) + "&" : "";
    List<Pair> pairs =
        List.of(
            new Pair("first", "/nodes", "/api/v1/nodes?pageSize=50"),
            new Pair("ready", "/nodes?state=READY", "/api/v1/nodes?state=READY&pageSize=50"),
            new Pair(
                "selector",
                "/nodes?selector=bench%3Dconsole",
                "/api/v1/nodes?selector=bench%3Dconsole&pageSize=50"),
            new Pair("deep", deep, "/api/v1/nodes?" + deepQuery + "pageSize=50"));
    say(
        "nodes: %d + %d rounds of %d pages, each beside its API call; the deep one is page %d",
        WARM_UP, SAMPLES, pairs.size(), depth);
    Map<String, List<Long>> pages = new LinkedHashMap<>();
    Map<String, List<Long>> apis = new LinkedHashMap<>();
    for (Pair p : pairs) {
      pages.put(p.name(), new ArrayList<>());
      apis.put(p.name(), new ArrayList<>());
    }
    Failures failures = new Failures();
    for (int round = 0; round < WARM_UP + SAMPLES; round++) {
      for (Pair p : pairs) {
        // Which goes first alternates, so neither always finds the other's work just done.
        boolean pageFirst = round % 2 == 0;
        long a = timed(pageFirst ? p.page() : p.api(), failures);
        long b = timed(pageFirst ? p.api() : p.page(), failures);
        if (round >= WARM_UP) {
          addIfOk(pages.get(p.name()), pageFirst ? a : b);
          addIfOk(apis.get(p.name()), pageFirst ? b : a);
        }
      }
    }
    double worstP50 = Double.NaN;
    double worstP95 = Double.NaN;
    int pageFailures = 0;
    for (Pair p : pairs) {
      Stats page = new Stats(pages.get(p.name()));
      Stats api = new Stats(apis.get(p.name()));
      String k = p.name();
      results.put("console_nodes_" + k + "_p50_ms", page.percentileMs(50));
      results.put("console_nodes_" + k + "_p95_ms", page.percentileMs(95));
      results.put("api_nodes_" + k + "_p50_ms", api.percentileMs(50));
      results.put("api_nodes_" + k + "_p95_ms", api.percentileMs(95));
      results.put(
          "nodes_" + k + "_page_over_api_p50", page.percentileMs(50) / api.percentileMs(50));
      results.put("nodes_" + k + "_samples", page.count());
      int failed = SAMPLES - page.count();
      results.put("nodes_" + k + "_page_failed", failed);
      pageFailures += failed;
      if (page.count() > 0) {
        worstP50 =
            Double.isNaN(worstP50)
                ? page.percentileMs(50)
                : Math.max(worstP50, page.percentileMs(50));
        worstP95 =
            Double.isNaN(worstP95)
                ? page.percentileMs(95)
                : Math.max(worstP95, page.percentileMs(95));
      }
      say(
          "  %-8s %-44s p50 %6.1f ms  p95 %6.1f ms | API p50 %6.1f ms  p95 %6.1f ms | x%.2f (%d)",
          k,
          p.page().length() > 44 ? p.page().substring(0, 41) + "..." : p.page(),
          page.percentileMs(50),
          page.percentileMs(95),
          api.percentileMs(50),
          api.percentileMs(95),
          page.percentileMs(50) / api.percentileMs(50),
          page.count());
    }
    Stats first = new Stats(pages.get("first"));
    Stats firstApi = new Stats(apis.get("first"));
    results.put("console_nodes_page_p95_ms", worstP95);
    results.put("console_nodes_page_p50_ms", worstP50);
    results.put("api_nodes_p50_ms", firstApi.percentileMs(50));
    results.put(
        "console_nodes_page_over_api_p50", first.percentileMs(50) / firstApi.percentileMs(50));
    results.put("nodes_failed_requests", failures.count.get());
    results.put("console_nodes_page_failed", pageFailures);
    failures.say("nodes");
  }

  private static String nextLink(String html) {
    Matcher a = NEXT_LINK.matcher(html);
    if (!a.find()) {
      return null;
    }
    Matcher h = HREF.matcher(a.group());
    return h.find() ? unescape(h.group(1)) : null;
  }

  // ---- clusters ------------------------------------------------------------------------------

  private record Sample(long start, long end) {
    long nanos() {
      return end - start;
    }
  }

  private void clusterPages() throws Exception {
    String management = managementCluster();
    Boolean pagePresent = null;
    if (management != null) {
      pagePresent = pagePresent(management);
      warmClusterPage(management, pagePresent);
    }
    List<Long> pageNanos = new ArrayList<>();
    List<Long> apiNanos = new ArrayList<>();
    List<Double> formations = new ArrayList<>();
    List<String> states = new ArrayList<>();
    Failures pageFailures = new Failures();
    Failures apiFailures = new Failures();
    for (int i = 1; i <= FORMATIONS; i++) {
      ObjectNode request = clusterRequest(i);
      if (!awaitValid(request)) {
        break;
      }
      long t0 = System.nanoTime();
      HttpResponse<String> created =
          send(
              bearer("/api/v1/clusters")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                  .build());
      if (created.statusCode() != 202) {
        say("  formation %d refused: %d %s", i, created.statusCode(), created.body());
        break;
      }
      String id = JSON.readTree(created.body()).get("id").asString();
      if (pagePresent == null) {
        pagePresent = pagePresent(id);
      }
      Formation f = measureFormation(id, t0, pagePresent, pageFailures, apiFailures);
      pageNanos.addAll(f.page());
      apiNanos.addAll(f.api());
      formations.add(f.seconds());
      states.add(f.state());
      say(
          "  formation %d (%s): %s after %.1f s; %d page and %d timeline samples while forming",
          i, id, f.state(), f.seconds(), f.page().size(), f.api().size());
    }
    Stats page = new Stats(pageNanos);
    Stats api = new Stats(apiNanos);
    results.put("console_cluster_page_present", Boolean.TRUE.equals(pagePresent));
    results.put("console_cluster_page_forming_p95_ms", page.percentileMs(95));
    results.put("console_cluster_page_forming_p50_ms", page.percentileMs(50));
    results.put("api_timeline_forming_p95_ms", api.percentileMs(95));
    results.put("api_timeline_p50_ms", api.percentileMs(50));
    results.put("console_cluster_page_over_api_p50", page.percentileMs(50) / api.percentileMs(50));
    results.put("formations", states.stream().filter("RUNNING"::equals).count());
    results.put("formations_started", states.size());
    results.put("formation_states", String.join(", ", states));
    results.put(
        "formation_s_each",
        String.join(
            ", ", formations.stream().map(s -> String.format(Locale.ROOT, "%.1f", s)).toList()));
    results.put(
        "formation_max_s", formations.stream().mapToDouble(d -> d).max().orElse(Double.NaN));
    results.put("samples", page.count());
    results.put("api_timeline_samples", api.count());
    results.put("console_cluster_page_forming_failed", pageFailures.count.get());
    results.put("api_timeline_forming_failed", apiFailures.count.get());
    pageFailures.say("cluster page");
    apiFailures.say("timeline API");
    if (!Boolean.TRUE.equals(pagePresent)) {
      say(
          "the console's cluster page is not there (GET /clusters/{id} of a real cluster did not"
              + " answer 200): only the timeline API was measured during formation");
    }
  }

  private record Formation(List<Long> page, List<Long> api, double seconds, String state) {}

  /**
   * Two threads fetch the page and the timeline in turn until the cluster leaves PROVISIONING; a
   * third looks at its state every 250 ms. A sample counts when it started after the cluster was
   * created and ended before the last look that still saw it forming began.
   */
  private Formation measureFormation(
      String id, long t0, boolean pagePresent, Failures pageFailures, Failures apiFailures)
      throws Exception {
    ConcurrentLinkedQueue<Sample> pages = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Sample> apis = new ConcurrentLinkedQueue<>();
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < CLIENT_THREADS; t++) {
      Thread c =
          new Thread(
              () -> {
                while (!done.get()) {
                  try {
                    if (pagePresent) {
                      sample("/clusters/" + id, pages, pageFailures);
                    }
                    sample("/api/v1/clusters/" + id + "/timeline", apis, apiFailures);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              },
              "console-bench-client-" + t);
      c.start();
      clients.add(c);
    }
    long lastForming = t0;
    String state = "PROVISIONING";
    long deadline = t0 + FORMATION_WITHIN.toNanos();
    long ended = 0;
    try {
      while (System.nanoTime() < deadline) {
        long looked = System.nanoTime();
        HttpResponse<String> r = send(bearer("/api/v1/clusters/" + id).build());
        if (r.statusCode() == 200) {
          state = JSON.readTree(r.body()).path("state").asString("");
          if (state.equals("PROVISIONING")) {
            lastForming = looked;
          } else {
            ended = System.nanoTime();
            break;
          }
        }
        Thread.sleep(250);
      }
    } finally {
      done.set(true);
      for (Thread c : clients) {
        c.join(60_000);
      }
    }
    if (ended == 0) {
      ended = System.nanoTime();
      state = state + " (still, after " + FORMATION_WITHIN + ")";
    }
    return new Formation(
        during(pages, t0, lastForming), during(apis, t0, lastForming), (ended - t0) / 1e9, state);
  }

  private static List<Long> during(Collection<Sample> samples, long from, long until) {
    List<Long> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.start() >= from && s.end() <= until) {
        out.add(s.nanos());
      }
    }
    return out;
  }

  private void sample(String path, Collection<Sample> into, Failures failures)
      throws InterruptedException {
    long start = System.nanoTime();
    long nanos = timed(path, failures);
    if (nanos >= 0) {
      into.add(new Sample(start, start + nanos));
    }
  }

  private boolean pagePresent(String clusterId) throws Exception {
    HttpResponse<String> r = send(page("/clusters/" + clusterId).build());
    results.put("console_cluster_page_status", r.statusCode());
    if (r.statusCode() != 200) {
      say("GET /clusters/%s answered %d: the cluster page is not there", clusterId, r.statusCode());
    }
    return r.statusCode() == 200;
  }

  private void warmClusterPage(String id, boolean pagePresent) throws Exception {
    Failures ignored = new Failures();
    for (int i = 0; i < WARM_UP; i++) {
      if (pagePresent) {
        timed("/clusters/" + id, ignored);
      }
      timed("/api/v1/clusters/" + id + "/timeline", ignored);
    }
  }

  /** The demo's management cluster, to warm the page on; null when the demo formed none. */
  private String managementCluster() throws Exception {
    HttpResponse<String> r = send(bearer("/api/v1/clusters?limit=200").build());
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode c : JSON.readTree(r.body()).path("items")) {
      if ("management".equals(c.path("kind").asString(""))) {
        return c.path("id").asString();
      }
    }
    return null;
  }

  /** Waits until cluster-former has the profile and the nodes the request needs. */
  private boolean awaitValid(ObjectNode request) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode verdict = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r =
          send(
              bearer("/api/v1/clusters/validate")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                  .build());
      verdict = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
      if (verdict != null && verdict.path("valid").asBoolean(false)) {
        return true;
      }
      Thread.sleep(1_000);
    }
    say(
        "  %s cannot be formed: %s",
        request.path("name").asString(), verdict == null ? "no answer" : verdict.path("problems"));
    return false;
  }

  /**
   * Three of the bench's VMware VMs (their second disk is the storage pool), the demo's profile,
   * and a VIP in the nodes' 10.0.0.0/16 that is the address of none of them.
   */
  private static ObjectNode clusterRequest(int i) {
    ObjectNode req = JSON.createObjectNode();
    req.put("name", "console-bench-" + i);
    req.put("kind", "workload");
    req.putObject("tags").put("bench", "console");
    req.putObject("profile").put("name", "easel-appliance").put("version", "1.0.0");
    req.putObject("variables").put("registry_password", "bench-registry-password");
    ObjectNode config = req.putObject("config");
    config.put("vip", "10.0.254." + i);
    config.putArray("ntpServers").add("pool.ntp.org");
    config.put("storagePoolDevice", "/dev/sdb");
    config.put("csiPlacementCount", 3);
    config
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "bench-registry-password")
        .put("storageGiB", 100);
    req.putArray("nodePools")
        .addObject()
        .put("name", "control-plane-pool")
        .put("role", "control-plane")
        .put("selector", LABEL + ",easel.dev/platform=vsphere")
        .put("count", 3);
    return req;
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Failed requests of a phase: counted, and the first one kept to say. */
  private static final class Failures {
    final AtomicInteger count = new AtomicInteger();
    final AtomicReference<String> first = new AtomicReference<>();

    void add(String what) {
      count.incrementAndGet();
      first.compareAndSet(null, what);
    }

    void say(String phase) {
      if (count.get() > 0) {
        Report.say("  %s: %d requests failed, the first: %s", phase, count.get(), first.get());
      }
    }
  }

  /** The full response's time in nanoseconds, or -1 when it was not a 200. */
  private long timed(String path, Failures failures) throws InterruptedException {
    HttpRequest request = page(path).build();
    long t0 = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      long nanos = System.nanoTime() - t0;
      if (r.statusCode() != 200) {
        failures.add("GET " + path + " answered " + r.statusCode());
        return -1;
      }
      return nanos;
    } catch (IOException e) {
      failures.add("GET " + path + ": " + e);
      return -1;
    }
  }

  private static void addIfOk(List<Long> into, long nanos) {
    if (nanos >= 0) {
      into.add(nanos);
    }
  }

  /** A request as the signed-in browser: its session cookie, no redirects followed. */
  private HttpRequest.Builder page(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (session != null) {
      b.header("Cookie", "EASEL_SESSION=" + session);
    }
    return b;
  }

  /** A request as a script, with the devstack's API token. */
  private HttpRequest.Builder bearer(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + apiToken);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          what + " answered " + r.statusCode() + " (wanted " + status + "): " + tail(r.body(), 5));
    }
  }

  private static String unescape(String html) {
    return html.replace("&amp;", "&")
        .replace("&#61;", "=")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
  }

  // ---- the machine ---------------------------------------------------------------------------

  /** The first offset from 31000 at which every devstack port is free, unless one is given. */
  private static int portOffset() {
    Integer given = Integer.getInteger("easel.bench.console.port-offset");
    if (given != null) {
      return given;
    }
    return PortOffsets.free(31_000, 40_001, 37, PortOffsets.DEVSTACK);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double loadAverage1m() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path jar(Path target, String prefix) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, prefix + "*.jar")) {
      for (Path p : jars) {
        if (!p.getFileName().toString().endsWith("-plain.jar")) {
          return p.toAbsolutePath();
        }
      }
    }
    throw new IllegalStateException("build it first: no " + prefix + "*.jar in " + target);
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
  }

  /**
   * Stops the simulator, then the devstack (whose own shutdown stops its services, broker and
   * database); whatever of theirs is still alive a minute later is killed.
   */
  private synchronized void stopAll() {
    for (Process p : processes) {
      List<ProcessHandle> descendants = p.descendants().toList();
      p.destroy();
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          descendants.forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
        // What it started and left behind (a watchdog still stopping the database) gets 30 s.
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (ProcessHandle d : descendants) {
          try {
            long left = Math.max(0, deadline - System.nanoTime());
            d.onExit().get(left, TimeUnit.NANOSECONDS);
          } catch (java.util.concurrent.ExecutionException
              | java.util.concurrent.TimeoutException e) {
            d.destroyForcibly();
          }
        }
      } catch (InterruptedException e) {
        descendants.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  // ---- the figures ---------------------------------------------------------------------------

  private void report() throws IOException {
    say("");
    for (Map.Entry<String, Object> e : results.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      boolean goal =
          k.equals("console_nodes_page_p95_ms") || k.equals("console_cluster_page_forming_p95_ms");
      if (v instanceof Double d) {
        String value =
            Double.isFinite(d) ? String.format(Locale.ROOT, "%12.2f", d) : "         n/a";
        String failedKey =
            k.startsWith("console_nodes")
                ? "console_nodes_page_failed"
                : "console_cluster_page_forming_failed";
        boolean clean = ((Number) results.getOrDefault(failedKey, 0)).longValue() == 0;
        String mark = !goal ? "" : Double.isFinite(d) && d <= GOAL_P95_MS && clean ? "✔" : "✘";
        say("%-40s %s %10s %s", k, value, goal ? "<= " + (int) GOAL_P95_MS : "", mark);
      } else if (v instanceof Number n) {
        say("%-40s %12d", k, n.longValue());
      } else {
        say("%-40s %12s", k, v);
      }
    }
    Report.write("console", results);
  }
}
