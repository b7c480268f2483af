package dev.easel.nodes.adapters.in.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * node-discovery started without a secret key, on a commands topic of its own: it runs plans, and
 * refuses the ones that carry secrets rather than keep them in the clear, even when they arrive
 * sealed to its plan key and open.
 */
class PlanSecretsWithoutKeyTest {

  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String COMMANDS = "easel.nodes.commands.keyless";
  private static final String REPLIES = "easel.keyless.replies";

  @Test
  void aPlanWithSecretFilesIsRefusedAndOneWithoutIsQueuedWhenNoKeyIsConfigured() throws Exception {
    try (NodeCommands commands = NodeCommands.onTopic(COMMANDS, REPLIES);
        RunningService service =
            RunningService.start(
                "plans_keyless",
                Map.of(
                    "easel.nodes.secret-key",
                    "",
                    "spring.cloud.stream.bindings.nodeCommands-in-0.destination",
                    COMMANDS));
        EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      UUID node =
          UUID.fromString(
              service.registerMachine(service.issueToken("keyless")).get("nodeId").asString());
      commands.send(
          "k1",
          "dev.easel.nodes.RunPlan.v1",
          "{\"nodeId\":\""
              + node
              + "\",\"planId\":\"k1\",\"owner\":\"test\",\"steps\":[{\"id\":\"a\","
              + "\"command\":\"true\",\"secretFiles\":{\"/run/easel/token\":\""
              + NodeCommands.sealed("k1", "a", "/run/easel/token", "s3cret")
              + "\"}}]}");
      CommandFailed refused =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-k1"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("secrets-unavailable");
      assertThat(service.call("GET", "/api/v1/plans/k1", null, null).statusCode())
          .as("nothing was queued")
          .isEqualTo(404);

      commands.send(
          "k2",
          "dev.easel.nodes.RunPlan.v1",
          "{\"nodeId\":\""
              + node
              + "\",\"planId\":\"k2\",\"owner\":\"test\",\"steps\":[{\"id\":\"a\","
              + "\"command\":\"true\"}]}");
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("k2"))
          .toArrive();
    }
  }
}
