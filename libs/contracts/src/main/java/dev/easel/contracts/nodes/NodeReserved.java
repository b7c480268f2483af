package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A node was reserved. */
@Contract(
    value = "dev.easel.nodes.NodeReserved.v1",
    kind = Contract.Kind.EVENT,
    description = "A node was reserved.")
public record NodeReserved(UUID nodeId, String reservationId, String owner, Instant at) {}
