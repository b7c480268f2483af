package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/**
 * Queue a plan of ordered steps for one node's agent.
 *
 * @param nodeId the node
 * @param planId the plan's id, chosen by the sender; sending the same plan again is answered as
 *     before
 * @param owner who asked, for people
 * @param steps the steps, in order
 * @param replyWhenFinished when true, the answer waits until the plan has finished: {@link
 *     PlanFinished} when it completed, a refusal {@code plan-failed} or {@code plan-cancelled}
 *     otherwise. When false or absent, {@link PlanAccepted} answers as soon as it is queued.
 */
@Contract(
    value = "dev.easel.nodes.RunPlan.v1",
    kind = Contract.Kind.COMMAND,
    description = "Queue a plan of ordered steps for one node's agent.")
public record RunPlan(
    UUID nodeId, String planId, String owner, List<PlanStep> steps, Boolean replyWhenFinished) {

  /** Whether the answer waits for the plan to finish. */
  public boolean answersWhenFinished() {
    return Boolean.TRUE.equals(replyWhenFinished);
  }
}
