package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** Every step of a plan succeeded. */
@Contract(
    value = "dev.easel.nodes.PlanCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "Every step of a plan succeeded.")
public record PlanCompleted(UUID nodeId, String planId, Instant at) {}
