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
 * node-discovery started without a plan key, as an installation configured before plan keys
 * existed, on a commands topic of its own: secret files sent in the clear are still taken, and a
 * sealed one, which it cannot open, is refused.
 */
class PlanSecretsWithoutPlanKeyTest {

  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String COMMANDS = "easel.nodes.commands.planless";
  private static final String REPLIES = "easel.planless.replies";

  @Test
  void clearSecretsAreTakenAndSealedOnesRefusedWhenNoPlanKeyIsConfigured() throws Exception {
    try (NodeCommands commands = NodeCommands.onTopic(COMMANDS, REPLIES);
        RunningService service =
            RunningService.start(
                "plans_planless",
                Map.of(
                    "easel.nodes.plan-private-key-file",
                    "",
                    "spring.cloud.stream.bindings.nodeCommands-in-0.destination",
                    COMMANDS));
        EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      UUID node =
          UUID.fromString(
              service.registerMachine(service.issueToken("planless")).get("nodeId").asString());
      commands.send("c1", "dev.easel.nodes.RunPlan.v1", plan(node, "c1", "s3cret"));
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("c1"))
          .toArrive();

      commands.send(
          "c2",
          "dev.easel.nodes.RunPlan.v1",
          plan(node, "c2", NodeCommands.sealed("c2", "a", "/run/easel/token", "s3cret")));
      CommandFailed refused =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-c2"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("invalid-plan");
      assertThat(refused.details())
          .singleElement()
          .asString()
          .contains("/run/easel/token", "no plan key", "easel.nodes.plan-private-key-file");
    }
  }

  private static String plan(UUID node, String planId, String secret) {
    return "{\"nodeId\":\""
        + node
        + "\",\"planId\":\""
        + planId
        + "\",\"owner\":\"test\",\"steps\":[{\"id\":\"a\","
        + "\"command\":\"true\",\"secretFiles\":{\"/run/easel/token\":\""
        + secret
        + "\"}}]}";
  }
}
