package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.agent.Json;
import dev.easel.agent.inventory.Inventory;
import dev.easel.agent.run.NodeAgent;
import dev.easel.agent.run.StateDir;
import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.SimulatedOutputs;
import dev.easel.agent.simulate.Simulator;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real agent and the simulator upload what their steps declared as artifacts to the real
 * service before they report the steps' success, and fail a step whose file is missing (#12).
 */
class AgentArtifactsTest {

  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);

  private static RunningService service;
  private static NodeCommands commands;
  private static String token;
  private static Path store;

  @BeforeAll
  static void start() throws Exception {
    store = Files.createTempDirectory("easel-agent-artifacts-store");
    commands = NodeCommands.answeredOn("easel.agentartifactstest.replies");
    service =
        RunningService.start(
            "agent_artifacts",
            Map.of(
                "easel.nodes.artifacts.dir",
                store.toString(),
                "easel.nodes.plan-signal-poll",
                "200ms"));
    token = service.issueToken("agent-artifacts");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void theAgentUploadsWhatItsStepWroteBeforeReportingSuccess() throws Exception {
    Path node = Files.createTempDirectory("easel-agent-node");
    Path report = node.resolve("scan").resolve("cis.json");
    String content = "{\"cis\":\"pass\"}";
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events");
        NodeAgent agent = agent(node)) {
      UUID id = agent.start().nodeId();
      Thread loop = new Thread(agent::runPlans, "agent-under-test");
      loop.setDaemon(true);
      loop.start();

      runPlan(
          "agent-1",
          id,
          step(
              "kube-bench",
              "mkdir -p " + report.getParent() + " && printf '%s' '" + content + "' > " + report,
              report.toString()));
      runPlan("agent-2", id, step("syft", "true", node.resolve("never.json").toString()));

      PlanStepArtifactStored stored =
          stream
              .andWaitForEventOfType(PlanStepArtifactStored.class)
              .matching(e -> e.planId().equals("agent-1"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(stored.name()).isEqualTo("cis.json");
      assertThat(stored.digest()).isEqualTo(digest(content));
      assertThat(stored.mediaType()).isEqualTo("application/json");
      assertThat(Files.readString(Path.of(URI.create(stored.location())))).isEqualTo(content);
      stream
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(e -> e.planId().equals("agent-1"))
          .within(Duration.ofSeconds(60))
          .toArrive();
      // The upload came first: a stored artifact is announced before the step's success.
      List<String> order =
          stream.received().stream()
              .map(e -> e.payload())
              .filter(
                  p ->
                      p instanceof PlanStepArtifactStored a && a.planId().equals("agent-1")
                          || p instanceof PlanStepSucceeded ok && ok.planId().equals("agent-1"))
              .map(p -> p.getClass().getSimpleName())
              .toList();
      assertThat(order).containsExactly("PlanStepArtifactStored", "PlanStepSucceeded");

      PlanFailed failed =
          stream
              .andWaitForEventOfType(PlanFailed.class)
              .matching(e -> e.planId().equals("agent-2"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(failed.reason()).contains("never.json is missing");
    }
  }

  @Test
  void theSimulatorUploadsWhatItsOutputsWroteAndFailsAStepWhoseFileIsMissing() throws Exception {
    // Writes the placeholder, except for files named skipped.json, which it leaves unwritten.
    SimulatedOutputs outputs =
        (file, step, node) -> {
          if (!file.getFileName().toString().equals("skipped.json")) {
            SimulatedOutputs.PLACEHOLDER.write(file, step, node);
          }
        };
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events");
        Simulator sim = simulator(outputs)) {
      sim.registerAll();
      sim.startPlans();
      UUID id = sim.nodeIds().get(0);

      runPlan(
          "sim-1", id, step("kube-bench", "kube-bench run", "/var/lib/easel/scan/kube-bench.json"));
      runPlan("sim-2", id, step("syft", "syft scan", "/var/lib/easel/scan/skipped.json"));

      PlanStepArtifactStored stored =
          stream
              .andWaitForEventOfType(PlanStepArtifactStored.class)
              .matching(e -> e.planId().equals("sim-1"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(stored.name()).isEqualTo("kube-bench.json");
      JsonNode doc = Json.MAPPER.readTree(Path.of(URI.create(stored.location())).toFile());
      assertThat(doc.get("simulated").asBoolean()).isTrue();
      assertThat(doc.get("step").asString()).isEqualTo("kube-bench");
      assertThat(doc.get("node").asString()).isEqualTo(id.toString());
      stream
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(e -> e.planId().equals("sim-1"))
          .within(Duration.ofSeconds(60))
          .toArrive();
      PlanFailed failed =
          stream
              .andWaitForEventOfType(PlanFailed.class)
              .matching(e -> e.planId().equals("sim-2"))
              .within(Duration.ofSeconds(60))
              .toArrive()
              .payload();
      assertThat(failed.reason()).contains("skipped.json is missing");
      assertThat(sim.artifactsUploaded.sum()).isEqualTo(1);
    }
  }

  @Test
  void anAgentAsksWhatIsStoredBeforeSendingSoContentIsSentOnce() throws Exception {
    JsonNode registered = service.registerMachine(token);
    UUID id = UUID.fromString(registered.get("nodeId").asString());
    String credential = registered.get("nodeCredential").asString();
    byte[] big = new byte[3 * 1024 * 1024];
    new java.util.Random(3).nextBytes(big);
    Path file = Files.write(Files.createTempDirectory("easel-again").resolve("sbom.tar"), big);
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("again-1", id, step("syft", "syft", "/var/lib/easel/scan/sbom.tar"));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(e -> e.planId().equals("again-1"))
          .toArrive();
      ServerApi api = api();
      ArtifactFile artifact = ArtifactFile.of(file);

      assertThat(ServerApi.await(api.storedArtifact(id, credential, "again-1", "syft", "sbom.tar")))
          .as("nothing yet: an upload is wanted")
          .isEmpty();
      ServerApi.StoredArtifact sent =
          ServerApi.await(
              api.uploadArtifact(id, credential, "again-1", "syft", "sbom.tar", artifact));
      Optional<ServerApi.StoredArtifact> asked =
          ServerApi.await(api.storedArtifact(id, credential, "again-1", "syft", "sbom.tar"));

      assertThat(asked).contains(sent);
      assertThat(sent.digest()).isEqualTo(artifact.digest());
      assertThat(sent.size()).isEqualTo(big.length);
      assertThat(sent.mediaType()).isEqualTo("application/x-tar");
      assertThatThrownBy(
              () ->
                  ServerApi.await(
                      api.storedArtifact(id, credential, "again-1", "syft", "other.tar")))
          .isInstanceOfSatisfying(
              ApiException.class, e -> assertThat(e.type()).isEqualTo("artifact-not-declared"));
      stream
          .andWaitForEventOfType(PlanStepArtifactStored.class)
          .matching(e -> e.planId().equals("again-1"))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static NodeAgent agent(Path node) throws Exception {
    Inventory machine =
        new Inventory(
            "agent-artifacts",
            null,
            new Inventory.Smbios(null, null, null, UUID.randomUUID().toString()),
            null,
            null,
            null,
            "test",
            null,
            null,
            List.of(),
            List.of());
    return new NodeAgent(api(), token, new StateDir(node.resolve("state")), () -> machine);
  }

  private static ServerApi api() {
    return new ServerApi(
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), service.base);
  }

  private static Simulator simulator(SimulatedOutputs outputs) throws Exception {
    return new Simulator(
        new Simulator.Options(
            service.base,
            token,
            1,
            new StateDir(Files.createTempDirectory("easel-sim-artifacts")),
            Duration.ofMillis(10),
            Duration.ofMillis(20),
            0.0,
            null,
            true,
            1,
            null),
        nanos -> {},
        null,
        outputs);
  }

  private static String step(String id, String command, String artifact) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\""
        + id
        + "\",\"command\":"
        + Json.MAPPER.writeValueAsString(command)
        + ",\"timeoutSeconds\":30,\"artifacts\":[\""
        + artifact
        + "\"]}";
  }

  private static void runPlan(String planId, UUID node, String... steps) {
    commands.send(
        planId,
        "dev.easel.nodes.RunPlan.v1",
        "{\"nodeId\":\""
            + node
            + "\",\"planId\":\""
            + planId
            + "\",\"owner\":\"test\",\"steps\":["
            + String.join(",", steps)
            + "]}");
  }

  private static String digest(String content) throws Exception {
    return "sha256:"
        + HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
  }
}
