package dev.easel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The agent jar and the node-discovery jar, each as its own process, against the shared Kafka and
 * PostgreSQL: what happens on a real appliance node, sped up (1 s heartbeats, 4 s to unreachable).
 */
class AgentEndToEndTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final Path WORK = Infrastructure.tempDir("e2e-agent");
  private static final List<JarProcess> STARTED = new ArrayList<>();
  private static List<String> serviceArgs;
  private static JarProcess service;
  private static String base;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void startService() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events", "easel.nodes.commands", "easel.e2e.replies");
    TestDatabase db = infra.newDatabase("e2e_agent");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    serviceArgs =
        List.of(
            "--server.port=" + port,
            "--spring.datasource.url=" + db.jdbcUrl(),
            "--spring.datasource.username=" + db.username(),
            "--spring.datasource.password=" + db.password(),
            "--spring.cloud.stream.kafka.binder.brokers=" + infra.kafkaBootstrapServers(),
            "--easel.nodes.heartbeat-interval=1s",
            "--easel.nodes.unreachable-after=4s",
            "--easel.nodes.heartbeat-flush=200ms",
            "--easel.nodes.secret-key="
                + java.util.Base64.getEncoder().encodeToString(new byte[32]),
            TestIdentity.commandLineArgument());
    service = startServiceProcess();
    producer = KafkaClients.producer(infra.kafkaBootstrapServers());
  }

  private static JarProcess startServiceProcess() throws Exception {
    JarProcess p =
        JarProcess.start(
            JarProcess.jarOf("services/node-discovery", "easel-node-discovery-"),
            WORK.resolve("node-discovery.log"),
            List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
            serviceArgs);
    STARTED.add(p);
    await("node-discovery healthy")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              assertThat(p.alive()).as(p.output()).isTrue();
              try {
                return get("/actuator/health").statusCode() == 200;
              } catch (java.io.IOException e) {
                return false;
              }
            });
    return p;
  }

  /** The token in a 0600 file, as an operator gives it to an agent. */
  private static Path tokenFile(String token) throws Exception {
    Path f = WORK.resolve("token-" + UUID.randomUUID());
    Files.writeString(f, token + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  private static JarProcess startAgent(String token, Path state) throws Exception {
    JarProcess p =
        JarProcess.start(
            JarProcess.jarOf("agent", "easel-agent.jar"),
            WORK.resolve("agent.log"),
            List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"),
            List.of(
                "run",
                "--server",
                base,
                "--insecure-http",
                "--token-file",
                tokenFile(token).toString(),
                "--state-dir",
                state.toString()));
    STARTED.add(p);
    return p;
  }

  @AfterEach
  void stopAgents() throws Exception {
    for (JarProcess p : STARTED) {
      if (p != service) {
        p.close();
      }
    }
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (producer != null) {
      producer.close();
    }
    for (JarProcess p : STARTED) {
      p.close();
    }
  }

  @Test
  void anAgentRegistersRunsAPlanAndComesBackAsTheSameNodeAfterSilenceAndRestart() throws Exception {
    String name = "e2e-" + UUID.randomUUID();
    String token = token(name, 5);
    Path state = WORK.resolve("state-" + UUID.randomUUID());
    JarProcess agent = startAgent(token, state);
    UUID id = registered(state, agent);
    JsonNode node = awaitNode(n -> n.get("id").asString().equals(id.toString()));
    assertThat(node.get("inventory").get("cpu").get("threads").asInt())
        .as("the agent read this machine's real CPUs")
        .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(node.get("labels").get("easel.dev/arch").asString()).isNotBlank();
    Path credential = state.resolve("node.json");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credential)))
        .isEqualTo("rw-------");

    Path out = WORK.resolve("plan-" + UUID.randomUUID());
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan(
          id,
          "e2e-1",
          "{\"id\":\"write\",\"command\":\"echo hello from $(hostname) > " + out + "\"}",
          "{\"id\":\"check\",\"command\":\"grep -q hello " + out + "\",\"timeoutSeconds\":10}");
      events
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(c -> c.planId().equals("e2e-1"))
          .within(Duration.ofSeconds(60))
          .toArrive();
    }
    assertThat(Files.readString(out)).startsWith("hello from");

    agent.kill();
    awaitNode(
        n ->
            n.get("id").asString().equals(id.toString())
                && n.get("state").asString().equals("UNREACHABLE"));
    startAgent(token, state);
    JsonNode back =
        awaitNode(
            n ->
                n.get("id").asString().equals(id.toString())
                    && n.get("state").asString().equals("READY"));
    assertThat(back.get("id").asString()).isEqualTo(id.toString());
    assertThat(uses(name))
        .as("it came back with its credential, not a new registration")
        .isEqualTo(1);
  }

  @Test
  void aStepsSecretFileReachesTheRealAgentOwnerOnlyAndNeverShowsInItsOutput() throws Exception {
    String token = token("e2e-secret-" + UUID.randomUUID(), 1);
    Path state = WORK.resolve("state-" + UUID.randomUUID());
    JarProcess agent = startAgent(token, state);
    UUID id = registered(state, agent);
    // A secret file's path is absolute, as every plan that carries one gives it.
    Path secret =
        WORK.toAbsolutePath().resolve("secrets-" + UUID.randomUUID()).resolve("join-token");
    Path copy = WORK.toAbsolutePath().resolve("copy-" + UUID.randomUUID());
    String value = "K10-" + UUID.randomUUID();
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan(
          id,
          "e2e-secret",
          "{\"id\":\"use\",\"command\":\"stat -c %a "
              + secret
              + "; cat "
              + secret
              + "; cp "
              + secret
              + " "
              + copy
              + "\",\"secretFiles\":{\""
              + secret
              + "\":\""
              + value
              + "\"}}");
      events
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(c -> c.planId().equals("e2e-secret"))
          .within(Duration.ofSeconds(60))
          .toArrive();
    }
    assertThat(Files.readString(copy)).as("the step read the secret").isEqualTo(value);
    assertThat(secret).as("and it was removed after the step").doesNotExist();
    String plan = get("/api/v1/plans/e2e-secret").body();
    assertThat(plan).contains("600").contains("********").doesNotContain(value);
  }

  @Test
  void aFinishedStepIsNotRunAgainWhenTheAgentRestartsMidPlan() throws Exception {
    String token = token("e2e-" + UUID.randomUUID(), 5);
    Path state = WORK.resolve("state-" + UUID.randomUUID());
    JarProcess agent = startAgent(token, state);
    UUID id = registered(state, agent);
    Path runs = WORK.resolve("runs-" + UUID.randomUUID());
    Path gate = WORK.resolve("gate-" + UUID.randomUUID());
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan(
          id,
          "e2e-2",
          "{\"id\":\"once\",\"command\":\"echo ran >> " + runs + "\"}",
          "{\"id\":\"wait\",\"command\":\"while [ ! -f "
              + gate
              + " ]; do sleep 0.1; done\",\"timeoutSeconds\":120}");
      events
          .andWaitForEventOfType(PlanStepSucceeded.class)
          .matching(s -> s.planId().equals("e2e-2") && s.stepId().equals("once"))
          .toArrive();
      agent.stop(); // the first step's result is in; the second step is waiting on the gate
      startAgent(token, state);
      Files.createFile(gate);
      events
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(c -> c.planId().equals("e2e-2"))
          .within(Duration.ofSeconds(60))
          .toArrive();
    }
    assertThat(Files.readAllLines(runs)).as("the finished step ran once").containsExactly("ran");
  }

  @Test
  void theAgentRidesOutAServerRestartAndAFailingStepIsRetried() throws Exception {
    String token = token("e2e-" + UUID.randomUUID(), 5);
    Path state = WORK.resolve("state-" + UUID.randomUUID());
    UUID id = registered(state, startAgent(token, state));

    assertThat(service.stop())
        .as("node-discovery stops within 10 s although an agent's long poll is open")
        .isTrue();
    Thread.sleep(2_000);
    service = startServiceProcess();

    Path marker = WORK.resolve("flaky-" + UUID.randomUUID());
    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan(
          id,
          "e2e-3",
          "{\"id\":\"flaky\",\"command\":\"if [ -f "
              + marker
              + " ]; then echo second; else touch "
              + marker
              + "; echo first; exit 7; fi\",\"retries\":2}");
      PlanStepFailed first =
          events
              .andWaitForEventOfType(PlanStepFailed.class)
              .matching(f -> f.planId().equals("e2e-3"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(first.exitCode()).isEqualTo(7);
      assertThat(first.willRetry()).isTrue();
      assertThat(first.outputTail()).contains("first");
      events
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(c -> c.planId().equals("e2e-3"))
          .within(Duration.ofSeconds(25))
          .toArrive();
      assertThat(events.receivedOfType(PlanQueued.class)).isNotEmpty();
    }
    JsonNode plan = JSON.readTree(get("/api/v1/plans/e2e-3").body());
    assertThat(plan.get("steps").get(0).get("attempt").asInt()).isEqualTo(2);
    assertThat(plan.get("steps").get(0).get("output").asString()).contains("second");
  }

  @Test
  void simulatedMachinesRegisterWithVariedHardwareAndRunPlansWithInjectedFailures()
      throws Exception {
    String token = token("sim-" + UUID.randomUUID(), 10);
    List<UUID> fine = simulate(token, 3, "0");
    List<UUID> failing = simulate(token, 1, "1");

    JsonNode smallVm = JSON.readTree(get("/api/v1/nodes/" + fine.get(2) + "/preflight").body());
    assertThat(smallVm.get("passed").asBoolean()).as("the third machine is a small VM").isFalse();
    JsonNode server = JSON.readTree(get("/api/v1/nodes/" + fine.get(0) + "/preflight").body());
    assertThat(server.get("passed").asBoolean()).as(server.toString()).isTrue();

    try (EventStream events = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      for (UUID node : fine) {
        runPlan(
            node,
            "sim-ok-" + node,
            "{\"id\":\"a\",\"command\":\"kubeadm version\"}",
            "{\"id\":\"b\",\"action\":\"report-inventory\"}");
      }
      runPlan(failing.get(0), "sim-bad", "{\"id\":\"a\",\"command\":\"true\",\"retries\":1}");
      for (UUID node : fine) {
        events
            .andWaitForEventOfType(PlanCompleted.class)
            .matching(c -> c.planId().equals("sim-ok-" + node))
            .within(Duration.ofSeconds(60))
            .toArrive();
      }
      PlanFailed failed =
          events
              .andWaitForEventOfType(PlanFailed.class)
              .matching(f -> f.planId().equals("sim-bad"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(failed.reason()).contains("simulated failure");
    }
    assertThat(
            JSON.readTree(get("/api/v1/plans/sim-bad").body())
                .get("steps")
                .get(0)
                .get("attempt")
                .asInt())
        .as("the failing step was tried twice")
        .isEqualTo(2);
  }

  /** Starts a simulator with n machines and answers their node ids once they are registered. */
  private static List<UUID> simulate(String token, int n, String failureRate) throws Exception {
    Path state = WORK.resolve("sim-" + UUID.randomUUID());
    JarProcess sim =
        JarProcess.start(
            JarProcess.jarOf("agent", "easel-agent.jar"),
            WORK.resolve("simulate.log"),
            List.of("-Xmx128m", "-XX:TieredStopAtLevel=1"),
            List.of(
                "simulate",
                "--server",
                base,
                "--insecure-http",
                "--token-file",
                tokenFile(token).toString(),
                "--nodes",
                Integer.toString(n),
                "--state-dir",
                state.toString(),
                "--step-latency",
                "50ms..150ms",
                "--failure-rate",
                failureRate));
    STARTED.add(sim);
    Path file = state.resolve("simulated-nodes.json");
    List<UUID> ids = new ArrayList<>();
    await("simulated registration")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(sim.alive()).as(sim.output()).isTrue();
              if (!Files.exists(file)) {
                return false;
              }
              ids.clear();
              for (JsonNode node : JSON.readTree(file.toFile()).get("nodes")) {
                if (node.hasNonNull("nodeId")) {
                  ids.add(UUID.fromString(node.get("nodeId").asString()));
                }
              }
              return ids.size() == n;
            });
    return ids;
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static String token(String name, int maxUses) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/registration-tokens"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\""
                            + name
                            + "\",\"ttlSeconds\":600,\"maxUses\":"
                            + maxUses
                            + "}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("token").asString();
  }

  /** How many times the token named {@code name} was used. */
  private static int uses(String name) throws Exception {
    for (JsonNode t : JSON.readTree(get("/api/v1/registration-tokens").body()).get("tokens")) {
      if (t.get("name").asString().equals(name)) {
        return t.get("uses").asInt();
      }
    }
    throw new AssertionError("no token named " + name);
  }

  /** Waits for the agent to write its identity, and answers its node id. */
  private static UUID registered(Path state, JarProcess agent) {
    Path file = state.resolve("node.json");
    await("registration")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              assertThat(agent.alive()).as(agent.output()).isTrue();
              return Files.exists(file);
            });
    return UUID.fromString(JSON.readTree(file.toFile()).get("nodeId").asString());
  }

  /** Waits for the machine's node, which is the same on every test: this very machine. */
  private static JsonNode awaitNode(java.util.function.Predicate<JsonNode> wanted) {
    JsonNode[] found = new JsonNode[1];
    await("node")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              JsonNode items = JSON.readTree(get("/api/v1/nodes").body()).get("nodes");
              for (JsonNode n : items) {
                if (wanted.test(n)) {
                  found[0] = n;
                  return true;
                }
              }
              return false;
            });
    return found[0];
  }

  private static void runPlan(UUID node, String planId, String... steps) {
    producer.send(
        KafkaClients.cloudEvent(
            "easel.nodes.commands",
            planId,
            UUID.randomUUID().toString(),
            "dev.easel.nodes.RunPlan.v1",
            "{\"nodeId\":\""
                + node
                + "\",\"planId\":\""
                + planId
                + "\",\"owner\":\"e2e\",\"steps\":["
                + String.join(",", steps)
                + "]}",
            // node-discovery runs plans only for the services allowed to send them.
            "/easel/cluster-former",
            Map.of(
                "sagaid",
                UUID.randomUUID().toString(),
                "requestid",
                "req-" + planId,
                "replyto",
                "easel.e2e.replies")));
    producer.flush();
  }

  /** A GET as the gateway forwards an admin's. */
  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Authorization", TestIdentity.bearer(Role.ADMIN))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
