package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/**
 * Mark reserved nodes as members of a cluster, all or none: each must be held by the reservation. A
 * retry changes nothing and succeeds again.
 *
 * @param reservationId the reservation that holds the nodes
 * @param clusterId the cluster they now belong to
 * @param nodeIds the nodes
 */
@Contract(
    value = "dev.easel.nodes.JoinCluster.v1",
    kind = Contract.Kind.COMMAND,
    description = "Mark reserved nodes as members of a cluster, all or none.")
public record JoinCluster(String reservationId, String clusterId, List<UUID> nodeIds) {}
