package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** An attempt of a plan step failed; willRetry says whether another attempt follows. */
@Contract(
    value = "dev.easel.nodes.PlanStepFailed.v1",
    kind = Contract.Kind.EVENT,
    description =
        "An attempt of a plan step failed; willRetry says whether another attempt follows.")
public record PlanStepFailed(
    UUID nodeId,
    String planId,
    String stepId,
    int attempt,
    Integer exitCode,
    String reason,
    String outputTail,
    boolean willRetry,
    Instant at) {}
