package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SimulatedOutputsTest {

  @TempDir Path dir;

  @Test
  void thePlaceholderSaysItIsSimulatedAndWhatWroteIt() throws Exception {
    UUID id = UUID.randomUUID();
    SimulatedNode node =
        new SimulatedNode(
            new SimulatedNode.Identity(3, "vsphere-vm", "sim-3", "m", UUID.randomUUID(), id, "c"));
    ServerApi.Step step =
        new ServerApi.Step(
            "kube-bench",
            "CIS benchmark",
            "kube-bench run --json",
            null,
            Map.of(),
            60,
            0,
            "PENDING",
            1,
            Map.of(),
            List.of(new ServerApi.Artifact("cis.json", "/var/lib/easel/scan/cis.json")));
    Path file = dir.resolve("cis.json");

    SimulatedOutputs.PLACEHOLDER.write(file, step, node);

    JsonNode doc = Json.MAPPER.readTree(file.toFile());
    assertThat(doc.get("simulated").asBoolean()).isTrue();
    assertThat(doc.get("step").asString()).isEqualTo("kube-bench");
    assertThat(doc.get("artifact").asString()).isEqualTo("cis.json");
    assertThat(doc.get("node").asString()).isEqualTo(id.toString());
    assertThat(doc.get("hostname").asString()).isEqualTo("sim-3");
  }

  @Test
  void aToolWhoseCommandFailsFailsTheStepWithItsExitCodeReasonAndOutput() {
    ServerApi.StepResult succeeded =
        new ServerApi.StepResult(1, "SUCCEEDED", 0, null, "simulated: velero", 42);
    ServerApi.Step get =
        new ServerApi.Step(
            "velero-backup-get",
            "get",
            "velero backup get x -o json",
            null,
            Map.of(),
            30,
            0,
            "PENDING",
            1,
            Map.of());

    ServerApi.StepResult failed =
        Simulator.ended(
            succeeded,
            SimulatedOutputs.Exit.failed(
                1, "An error occurred: backups.velero.io \"x\" not found\n"));
    ServerApi.StepResult killed =
        Simulator.ended(succeeded, SimulatedOutputs.Exit.timedOut(get, ""));
    ServerApi.StepResult printed =
        Simulator.ended(succeeded, SimulatedOutputs.Exit.succeeded("{}"));

    assertThat(failed.outcome()).isEqualTo("FAILED");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.reason()).isEqualTo("exit code 1");
    assertThat(failed.output()).startsWith("An error occurred:");
    assertThat(failed.durationMs()).isEqualTo(42);
    assertThat(killed.outcome()).isEqualTo("FAILED");
    assertThat(killed.exitCode()).isNull();
    assertThat(killed.reason()).isEqualTo("timed out after 30 s; killed");
    assertThat(printed.outcome()).isEqualTo("SUCCEEDED");
    assertThat(printed.output()).isEqualTo("{}");
    assertThat(Simulator.ended(succeeded, null)).isSameAs(succeeded);
  }
}
