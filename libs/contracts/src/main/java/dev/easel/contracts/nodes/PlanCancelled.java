package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A plan was cancelled before it finished. */
@Contract(
    value = "dev.easel.nodes.PlanCancelled.v1",
    kind = Contract.Kind.EVENT,
    description = "A plan was cancelled before it finished.")
public record PlanCancelled(UUID nodeId, String planId, String reason, Instant at) {}
