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
 */
@Contract(
    value = "dev.easel.nodes.LeaveCluster.v1",
    kind = Contract.Kind.COMMAND,
    description = "Take nodes out of a cluster and free them.")
public record LeaveCluster(String clusterId, List<UUID> nodeIds) {}
