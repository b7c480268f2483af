package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A reserved node became a member of a cluster. */
@Contract(
    value = "dev.easel.nodes.NodeJoinedCluster.v1",
    kind = Contract.Kind.EVENT,
    description = "A reserved node became a member of a cluster.")
public record NodeJoinedCluster(UUID nodeId, String clusterId, String reservationId, Instant at) {}
