package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * An unreachable node sent a heartbeat again.
 *
 * @param nodeId the node
 * @param at when its heartbeat was recorded
 */
@Contract(
    value = "dev.easel.nodes.NodeRecovered.v1",
    kind = Contract.Kind.EVENT,
    description = "An unreachable node sent a heartbeat again.")
public record NodeRecovered(UUID nodeId, Instant at) {}
