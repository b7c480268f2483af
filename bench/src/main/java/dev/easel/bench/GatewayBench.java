package dev.easel.bench;

import static dev.easel.bench.Report.say;

import com.sun.net.httpserver.HttpServer;
import dev.easel.contracts.api.Role;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.PostgresServer;
import dev.easel.testing.TestIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway benchmark: the gateway's and audit's jars as processes on a real broker and a durable
 * PostgreSQL. The same authenticated GET ({@code /api/v1/audit/records?limit=1}) is sent at a
 * steady 500 a second, straight to audit and through the gateway with an API token, in alternating
 * rounds. {@code gateway_overhead_p50_ms} is the median over rounds of the gateway's p50 minus the
 * direct p50 of the same round.
 */
final class GatewayBench {

  private static final int RATE = Integer.getInteger("easel.bench.gateway.rate", 500);
  private static final Duration ROUND = Duration.ofSeconds(15);
  private static final int ROUNDS = 3;
  private static final String PATH = "/api/v1/audit/records?limit=1";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AtomicInteger failures = new AtomicInteger();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  void run() throws Exception {
    try (WorkDir work = new WorkDir("easel-bench-gateway")) {
      run(work);
    }
  }

  private void run(WorkDir work) throws Exception {
    Map<String, Object> results = new LinkedHashMap<>();
    List<Process> processes = new ArrayList<>();
    HttpServer jwks = null;
    try (KraftBroker kafka = new KraftBroker(work.resolve("kafka"), 0, 3).start();
        PostgresServer pg = PostgresServer.start(work.resolve("pg"), 0, PostgresServer.DURABLE)) {
      pg.ensureDatabase("easel_audit");
      pg.ensureDatabase("easel_gateway");
      results.put("cores", Runtime.getRuntime().availableProcessors());
      int auditPort = DiscoveryBench.freePort();
      int gatewayPort = DiscoveryBench.freePort();
      String audit = "http://127.0.0.1:" + auditPort;
      String gateway = "http://127.0.0.1:" + gatewayPort;
      // audit trusts the gateway's keys and, for the direct baseline, the benchmark's own.
      jwks = unionJwks(gateway + "/.well-known/jwks.json", TestIdentity.jwksUri());
      String jwksUri = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
      Path tokenFile = work.resolve("api-token");
      processes.add(
          start(
              work,
              "audit",
              List.of(
                  "--server.port=" + auditPort,
                  "--spring.datasource.url=" + pg.jdbcUrl("easel_audit"),
                  "--spring.datasource.username=" + pg.username(),
                  "--spring.datasource.password=" + pg.password(),
                  "--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers(),
                  "--easel.identity.jwks-uri=" + jwksUri)));
      processes.add(
          start(
              work,
              "gateway",
              List.of(
                  "--server.port=" + gatewayPort,
                  "--spring.datasource.url=" + pg.jdbcUrl("easel_gateway"),
                  "--spring.datasource.username=" + pg.username(),
                  "--spring.datasource.password=" + pg.password(),
                  "--spring.cloud.stream.kafka.binder.brokers=" + kafka.bootstrapServers(),
                  "--easel.gateway.bootstrap.token-file=" + tokenFile,
                  "--easel.gateway.services.audit=" + audit,
                  "--easel.gateway.services.nodes=http://127.0.0.1:9",
                  "--easel.gateway.services.clusters=http://127.0.0.1:9",
                  "--easel.gateway.services.packs=http://127.0.0.1:9",
                  "--easel.gateway.services.compliance=http://127.0.0.1:9")));
      DiscoveryBench.awaitHealthy(audit, processes.get(0));
      DiscoveryBench.awaitHealthy(gateway, processes.get(1));
      String token = "Bearer " + Files.readString(tokenFile).trim();
      // An identity lives a minute: the direct baseline gets a fresh one for each phase.
      say(
          "audit on %s, gateway on %s; postgresql %d (fsync %s)",
          audit, gateway, pg.port(), pg.setting("fsync"));
      // Warm both paths: JIT, connection pools, the services' key caches.
      Stats directOne = warm(audit + PATH, TestIdentity.bearer("bench", Role.ADMIN));
      Stats gatewayOne = warm(gateway + PATH, token);
      say(
          "one at a time: direct p50 %.2f ms, through the gateway p50 %.2f ms",
          directOne.percentileMs(50), gatewayOne.percentileMs(50));
      results.put("sequential_direct_p50_ms", directOne.percentileMs(50));
      results.put("sequential_gateway_p50_ms", gatewayOne.percentileMs(50));
      results.put(
          "sequential_overhead_p50_ms", gatewayOne.percentileMs(50) - directOne.percentileMs(50));
      List<Double> overheads = new ArrayList<>();
      List<Double> directP50 = new ArrayList<>();
      List<Double> gatewayP50 = new ArrayList<>();
      List<Double> gatewayP99 = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) {
        Stats d = load(audit + PATH, TestIdentity.bearer("bench", Role.ADMIN), RATE, ROUND);
        Stats g = load(gateway + PATH, token, RATE, ROUND);
        double overhead = g.percentileMs(50) - d.percentileMs(50);
        say(
            "round %d: direct p50 %.2f ms p99 %.2f ms; through the gateway p50 %.2f ms p99 %.2f"
                + " ms; overhead p50 %.2f ms",
            round,
            d.percentileMs(50),
            d.percentileMs(99),
            g.percentileMs(50),
            g.percentileMs(99),
            overhead);
        overheads.add(overhead);
        directP50.add(d.percentileMs(50));
        gatewayP50.add(g.percentileMs(50));
        gatewayP99.add(g.percentileMs(99));
      }
      results.put("rate_per_s", RATE);
      results.put("direct_p50_ms", median(directP50));
      results.put("gateway_p50_ms", median(gatewayP50));
      results.put("gateway_p99_ms", median(gatewayP99));
      results.put("gateway_overhead_p50_ms", median(overheads));
      results.put("failed_requests", failures.get());
      say("gateway_overhead_p50_ms %.2f (median of %d rounds)", median(overheads), ROUNDS);
    } finally {
      for (Process p : processes) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (jwks != null) {
        jwks.stop(0);
      }
    }
    Report.write("gateway", results);
  }

  private static Process start(WorkDir work, String service, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-jar");
    cmd.add(DiscoveryBench.serviceJar(service).toString());
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(work.resolve(service + ".log").toFile())
        .start();
  }

  /** One request after another, so cold JVMs are not flooded before they are measured. */
  private Stats warm(String url, String authorization) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .build();
    List<Long> nanos = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      long t0 = System.nanoTime();
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (i >= 1_000) {
        nanos.add(System.nanoTime() - t0);
      }
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + " while warming");
      }
    }
    return new Stats(nanos);
  }

  /** Sends GETs at a steady rate for a while, each on its own schedule; answers their latencies. */
  private Stats load(String url, String authorization, int perSecond, Duration during)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", authorization)
            .build();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    List<CompletableFuture<?>> pending = Collections.synchronizedList(new ArrayList<>());
    long intervalNanos = 1_000_000_000L / perSecond;
    long count = during.toNanos() / intervalNanos;
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      // Latency from when the request was due, so a stall is not hidden (no coordinated omission).
      pending.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                      failed.incrementAndGet();
                      firstFailure.compareAndSet(
                          null, e != null ? e.toString() : "HTTP " + r.statusCode());
                    } else {
                      latencies.add(System.nanoTime() - due);
                    }
                  }));
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .get(60, TimeUnit.SECONDS);
    if (failed.get() > 0) {
      // A saturated system is a result, not a crash: said, counted, and written with the rest.
      say("  %d of %d requests to %s failed, first: %s", failed.get(), count, url, firstFailure);
      failures.addAndGet(failed.get());
    }
    return new Stats(latencies);
  }

  /** A JWK Set with the keys of every given set, read afresh on each request. */
  private HttpServer unionJwks(String... sources) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          ObjectNode out = JSON.createObjectNode();
          ArrayNode keys = out.putArray("keys");
          for (String source : sources) {
            try {
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(URI.create(source)).build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                JsonNode set = JSON.readTree(r.body());
                set.path("keys").forEach(keys::add);
              }
            } catch (IOException | InterruptedException e) {
              // a set that is not up yet has no keys
            }
          }
          byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
          }
        });
    server.start();
    return server;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
