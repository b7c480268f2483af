package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A node was taken out of service for good.
 *
 * @param nodeId the node
 * @param at when
 */
@Contract(
    value = "dev.easel.nodes.NodeDecommissioned.v1",
    kind = Contract.Kind.EVENT,
    description = "A node was taken out of service for good.")
public record NodeDecommissioned(UUID nodeId, Instant at) {}
