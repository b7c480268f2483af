package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/** Reserve these nodes for a reservation, all or none. */
@Contract(
    value = "dev.easel.nodes.ReserveNodes.v1",
    kind = Contract.Kind.COMMAND,
    description = "Reserve these nodes for a reservation, all or none.")
public record ReserveNodes(String reservationId, String owner, List<UUID> nodeIds) {}
