package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.UUID;

/** The plan is queued for the node's agent. */
@Contract(
    value = "dev.easel.nodes.PlanAccepted.v1",
    kind = Contract.Kind.REPLY,
    description = "The plan is queued for the node's agent.")
public record PlanAccepted(String planId, UUID nodeId, int steps) {}
