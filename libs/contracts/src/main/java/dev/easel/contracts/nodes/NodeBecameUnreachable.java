package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * No heartbeat came from a node within the liveness window; its other facts are kept.
 *
 * @param nodeId the node
 * @param lastHeartbeatAt its last heartbeat
 * @param at when it was declared unreachable
 */
@Contract(
    value = "dev.easel.nodes.NodeBecameUnreachable.v1",
    kind = Contract.Kind.EVENT,
    description = "A node sent no heartbeat within the liveness window.")
public record NodeBecameUnreachable(UUID nodeId, Instant lastHeartbeatAt, Instant at) {}
