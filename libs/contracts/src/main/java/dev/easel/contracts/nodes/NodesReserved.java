package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/** Every requested node is held by the reservation. */
@Contract(
    value = "dev.easel.nodes.NodesReserved.v1",
    kind = Contract.Kind.REPLY,
    description = "Every requested node is held by the reservation.")
public record NodesReserved(String reservationId, List<UUID> nodeIds) {}
