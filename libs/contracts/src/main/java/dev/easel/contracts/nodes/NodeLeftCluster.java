package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A node left its cluster and is free again. */
@Contract(
    value = "dev.easel.nodes.NodeLeftCluster.v1",
    kind = Contract.Kind.EVENT,
    description = "A node left its cluster and is free again.")
public record NodeLeftCluster(UUID nodeId, String clusterId, Instant at) {}
