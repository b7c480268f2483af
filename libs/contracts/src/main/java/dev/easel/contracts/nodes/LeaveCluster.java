package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/**
 * Take nodes out of a cluster and free them. Nodes not in the cluster are left alone, so a retry
 * succeeds again; a node in another cluster refuses the whole command.
 *
 * @param clusterId the cluster
 * @param nodeIds the nodes
 * @param resetSteps when given, the nodes could not be reset (a forced deletion): each is marked as
 *     needing a reset, and node-discovery queues these steps as a plan for it the next time it
 *     hears from it
 */
@Contract(
    value = "dev.easel.nodes.LeaveCluster.v1",
    kind = Contract.Kind.COMMAND,
    description = "Take nodes out of a cluster and free them.")
public record LeaveCluster(String clusterId, List<UUID> nodeIds, List<PlanStep> resetSteps) {

  /** Leaving after the nodes were reset. */
  public LeaveCluster(String clusterId, List<UUID> nodeIds) {
    this(clusterId, nodeIds, null);
  }

  public boolean needsReset() {
    return resetSteps != null && !resetSteps.isEmpty();
  }
}
