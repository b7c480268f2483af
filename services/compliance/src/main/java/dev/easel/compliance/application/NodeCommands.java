package dev.easel.compliance.application;

import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.Topics;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Sends plans to node-discovery through the outbox, in the caller's transaction. Each plan is
 * answered when it has finished ({@code PlanFinished}, or a refusal naming the plan as its request
 * id) on compliance's replies topic; commands for one node keep their order.
 */
@Component
public class NodeCommands {

  static final String NODES = "nodes";
  static final String CONTEXT = "compliance";

  private final Outbox outbox;

  public NodeCommands(Outbox outbox) {
    this.outbox = outbox;
  }

  public void run(UUID nodeId, String planId, String owner, List<PlanStep> steps) {
    outbox.append(
        new OutboundMessage(
            Topics.commands(NODES),
            nodeId.toString(),
            new RunPlan(nodeId, planId, owner, steps, true),
            null,
            planId,
            Topics.replies(CONTEXT),
            null,
            null,
            null,
            null,
            null));
  }

  public void cancel(UUID nodeId, String planId, String reason) {
    outbox.append(
        new OutboundMessage(
            Topics.commands(NODES),
            nodeId.toString(),
            new CancelPlan(nodeId, planId, reason),
            null,
            planId + "-cancel",
            Topics.replies(CONTEXT),
            null,
            null,
            null,
            null,
            null));
  }
}
