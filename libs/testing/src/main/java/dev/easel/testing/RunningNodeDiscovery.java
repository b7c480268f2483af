package dev.easel.testing;

import dev.easel.contracts.api.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real node-discovery, its jar run as its own process against the shared broker and a fresh
 * database of the shared PostgreSQL, with heartbeats every second and a node unreachable after
 * three missed. Services' component tests run their plans through it, with simulated agents. It
 * opens plan secrets with {@link TestPlanKeys}' private key, so it refuses secrets sent in the
 * clear: a sender under test is given {@link TestPlanKeys#senderProperties()}.
 */
public final class RunningNodeDiscovery implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public final String base;
  private final Process process;
  private final Path log;

  private RunningNodeDiscovery(String base, Process process, Path log) {
    this.base = base;
    this.process = process;
    this.log = log;
  }

  public static RunningNodeDiscovery start(String hint) throws IOException {
    return start(hint, List.of());
  }

  /** Starts it with extra command-line arguments ({@code --name=value}). */
  public static RunningNodeDiscovery start(String hint, List<String> extra) throws IOException {
    Infrastructure infra = Infrastructure.get();
    TestDatabase db = infra.newDatabase(hint);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path log = Files.createTempFile("node-discovery-", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx384m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.add("--server.port=" + port);
    db.springProperties().forEach((k, v) -> cmd.add("--" + k + "=" + v));
    cmd.add("--spring.cloud.stream.kafka.binder.brokers=" + infra.kafkaBootstrapServers());
    cmd.add("--easel.nodes.secret-key=" + Base64.getEncoder().encodeToString(key));
    cmd.add("--easel.nodes.heartbeat-interval=1s");
    cmd.add("--easel.nodes.unreachable-after=3s");
    cmd.add(TestIdentity.commandLineArgument());
    if (extra.stream()
        .noneMatch(a -> a.startsWith("--" + TestPlanKeys.PRIVATE_KEY_FILE_PROPERTY + "="))) {
      // Senders under test seal plan secrets to the public half (TestPlanKeys.senderProperties).
      cmd.add(TestPlanKeys.nodeDiscoveryArgument());
    }
    if (extra.stream().noneMatch(a -> a.startsWith("--easel.nodes.artifacts.dir="))) {
      // Uploaded files go to a directory of the test's own, never into the working directory.
      cmd.add("--easel.nodes.artifacts.dir=" + Files.createTempDirectory("node-artifacts-"));
    }
    cmd.addAll(extra);
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    RunningNodeDiscovery nd = new RunningNodeDiscovery("http://127.0.0.1:" + port, p, log);
    try {
      Awaitility.await("node-discovery healthy")
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException(
                      "node-discovery exited:\n" + Files.readString(log));
                }
                return nd.get("/actuator/health").statusCode() == 200;
              });
    } catch (RuntimeException e) {
      nd.close();
      throw new IllegalStateException(
          "node-discovery did not start; its log:\n" + Files.readString(log), e);
    }
    return nd;
  }

  /** A registration token for simulated agents. */
  public String registrationToken() throws Exception {
    HttpResponse<String> r =
        post(
            "/api/v1/registration-tokens",
            "{\"name\":\"component-test\",\"ttlSeconds\":3600,\"maxUses\":1000}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException("token refused: " + r.body());
    }
    return JSON.readTree(r.body()).get("token").asString();
  }

  public JsonNode node(java.util.UUID id) throws Exception {
    return JSON.readTree(get("/api/v1/nodes/" + id).body());
  }

  /** What the process has logged so far. */
  public String logText() throws IOException {
    return Files.readString(log);
  }

  public JsonNode plan(String planId) throws Exception {
    HttpResponse<String> r = get("/api/v1/plans/" + planId);
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  /** A GET as the gateway forwards an admin's. */
  public HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST as the gateway forwards an admin's. */
  public HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Path jar() throws IOException {
    for (Path target :
        List.of(
            Path.of("..", "node-discovery", "target"),
            Path.of("..", "services", "node-discovery", "target"),
            Path.of("services", "node-discovery", "target"))) {
      if (Files.isDirectory(target)) {
        try (DirectoryStream<Path> jars =
            Files.newDirectoryStream(target, "easel-node-discovery-*.jar")) {
          for (Path j : jars) {
            if (!j.toString().endsWith("-sources.jar") && !j.toString().endsWith(".original")) {
              return j.toAbsolutePath();
            }
          }
        }
      }
    }
    throw new IllegalStateException("build node-discovery first: no jar in its target directory");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file; the OS cleans it
    }
  }
}
