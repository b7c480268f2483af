package dev.easel.compliance.application;

import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.PlanSecretSealer;
import dev.easel.contracts.Topics;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private final PlanSecretSealer sealer;

  public NodeCommands(Outbox outbox, PlanSecretSealer sealer) {
    this.outbox = outbox;
    this.sealer = sealer;
  }

  /** Sends a plan; each step's secret files are sealed for node-discovery first. */
  public void run(UUID nodeId, String planId, String owner, List<PlanStep> steps) {
    List<PlanStep> sealed = new ArrayList<>(steps.size());
    for (PlanStep s : steps) {
      if (s.secretFiles().isEmpty()) {
        sealed.add(s);
        continue;
      }
      Map<String, String> files = new LinkedHashMap<>();
      s.secretFiles()
          .forEach((path, content) -> files.put(path, sealer.seal(planId, s.id(), path, content)));
      sealed.add(
          new PlanStep(
              s.id(),
              s.name(),
              s.command(),
              s.action(),
              s.args(),
              s.timeoutSeconds(),
              s.retries(),
              files,
              s.artifacts()));
    }
    outbox.append(
        new OutboundMessage(
            Topics.commands(NODES),
            nodeId.toString(),
            new RunPlan(nodeId, planId, owner, sealed, true),
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
