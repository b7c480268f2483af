package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/** Release the nodes a reservation holds; releasing twice is fine. */
@Contract(
    value = "dev.easel.nodes.ReleaseNodes.v1",
    kind = Contract.Kind.COMMAND,
    description = "Release the nodes a reservation holds; releasing twice is fine.")
public record ReleaseNodes(String reservationId, List<UUID> nodeIds) {}
