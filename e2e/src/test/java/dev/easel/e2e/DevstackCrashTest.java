package dev.easel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.easel.testing.Infrastructure;
import dev.easel.testing.PortOffsets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./easel up} as a user runs it, killed as a crash or an impatient user would kill it: what
 * it acknowledged must survive, and nothing of it may be left running.
 */
class DevstackCrashTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int NODES_PORT = 8081;
  private static final int GATEWAY_PORT = 8080;

  @Test
  void rowsAcknowledgedThroughAServiceSurviveAKillNineOfTheWholeStackAndARestart()
      throws Exception {
    Path data = Infrastructure.tempDir("devstack-crash");
    int offset = PortOffsets.free(30000, 40000, 37, Stack.basePorts());
    String tokenId;
    try (Stack first = Stack.start(data, offset)) {
      HttpResponse<String> created =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(first.gateway() + "/api/v1/registration-tokens"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", first.bearer())
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"survives\",\"ttlSeconds\":3600,\"maxUses\":1}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      tokenId = JSON.readTree(created.body()).get("id").asString();

      List<ProcessHandle> all = first.everyProcess();
      all.forEach(ProcessHandle::destroyForcibly); // SIGKILL, the stack and all it started
      awaitGone(all, first.ports());
    }

    try (Stack second = Stack.start(data, offset)) {
      HttpResponse<String> listed =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(second.gateway() + "/api/v1/registration-tokens"))
                  .header("Authorization", second.bearer())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(listed.statusCode()).isEqualTo(200);
      List<String> ids = new ArrayList<>();
      for (JsonNode t : JSON.readTree(listed.body()).get("tokens")) {
        ids.add(t.get("id").asString());
      }
      assertThat(ids).as("the token acknowledged before the crash").contains(tokenId);
      assertThat(second.stop()).as("a SIGTERM stops the restarted stack cleanly").isTrue();
    }
  }

  @Test
  void aDevstackKilledWithSigkillLeavesNoProcessAndNoPortBehind() throws Exception {
    Path data = Infrastructure.tempDir("devstack-orphans");
    try (Stack stack = Stack.start(data, PortOffsets.free(30000, 40000, 37, Stack.basePorts()))) {
      List<ProcessHandle> all = stack.everyProcess();
      assertThat(all).as("the stack, a service, PostgreSQL and the watchdog").hasSizeGreaterThan(3);
      stack.process.toHandle().destroyForcibly(); // only the devstack's own JVM
      awaitGone(all, stack.ports());
    }
  }

  private static void awaitGone(List<ProcessHandle> processes, List<Integer> ports) {
    await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(processes.stream().filter(ProcessHandle::isAlive).map(Stack::describe))
                  .as("processes of the stack still running")
                  .isEmpty();
              assertThat(ports.stream().filter(p -> !PortOffsets.isFree(p)))
                  .as("ports of the stack still taken")
                  .isEmpty();
            });
  }

  /** One devstack process with node-discovery and the gateway, on ports moved by an offset. */
  private static final class Stack implements AutoCloseable {

    private final Process process;
    private final Path data;
    private final int offset;
    private final Path log;

    private Stack(Process process, Path data, int offset, Path log) {
      this.process = process;
      this.data = data;
      this.offset = offset;
      this.log = log;
    }

    static List<Integer> basePorts() {
      // 19000: S3Proxy, which the devstack starts whenever its build copied the jar.
      return List.of(GATEWAY_PORT, NODES_PORT, 15432, 19092, 19000);
    }

    static Stack start(Path data, int offset) throws Exception {
      Path root = Path.of("..").toAbsolutePath().normalize();
      Path log = data.resolveSibling(data.getFileName() + "-" + System.nanoTime() + ".log");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  JarProcess.jarOf("devstack", "easel-devstack-").toString(),
                  "--root",
                  root.toString(),
                  "--data-dir",
                  data.toString(),
                  "--port-offset",
                  Integer.toString(offset),
                  "--services",
                  "node-discovery,gateway")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Stack stack = new Stack(p, data, offset, log);
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError("the devstack exited:\n" + stack.output());
                }
                return stack.output().contains("Ready.");
              });
      return stack;
    }

    String gateway() {
      return "http://127.0.0.1:" + (GATEWAY_PORT + offset);
    }

    /** The API token the gateway made for this machine on its first start; it survives restarts. */
    String bearer() throws IOException {
      return "Bearer " + Files.readString(data.resolve("secrets").resolve("api-token")).trim();
    }

    List<Integer> ports() {
      return basePorts().stream().map(p -> p + offset).toList();
    }

    /** The devstack, everything it started, and the postmaster that pg_ctl detached from it. */
    List<ProcessHandle> everyProcess() throws IOException {
      List<ProcessHandle> all = new ArrayList<>();
      all.add(process.toHandle());
      process.descendants().forEach(all::add);
      String pid = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim();
      Optional<ProcessHandle> postmaster = ProcessHandle.of(Long.parseLong(pid));
      postmaster.ifPresent(
          pm -> {
            all.add(pm);
            pm.descendants().forEach(all::add);
          });
      return all;
    }

    static String describe(ProcessHandle p) {
      return p.pid() + " " + p.info().commandLine().orElse("?");
    }

    String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "";
      }
    }

    /** SIGTERM, as Ctrl-C from a script would; true if it stopped within 60 s. */
    boolean stop() throws InterruptedException {
      process.destroy();
      return process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)
          && output().contains("Stopped.");
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive() && !stop()) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    }
  }
}
