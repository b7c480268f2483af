package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A step failed for good; the plan's later steps are skipped. */
@Contract(
    value = "dev.easel.nodes.PlanFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A step failed for good; the plan's later steps are skipped.")
public record PlanFailed(UUID nodeId, String planId, String stepId, String reason, Instant at) {}
