package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A reservation released a node. */
@Contract(
    value = "dev.easel.nodes.NodeReleased.v1",
    kind = Contract.Kind.EVENT,
    description = "A reservation released a node.")
public record NodeReleased(UUID nodeId, String reservationId, Instant at) {}
