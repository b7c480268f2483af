package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A step of a plan succeeded on its node. */
@Contract(
    value = "dev.easel.nodes.PlanStepSucceeded.v1",
    kind = Contract.Kind.EVENT,
    description = "A step of a plan succeeded on its node.")
public record PlanStepSucceeded(
    UUID nodeId,
    String planId,
    String stepId,
    int attempt,
    Integer exitCode,
    long durationMs,
    Instant at) {}
