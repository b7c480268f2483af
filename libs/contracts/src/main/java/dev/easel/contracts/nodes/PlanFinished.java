package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The answer to a {@link RunPlan} sent with {@code replyWhenFinished}: every step succeeded.
 *
 * @param planId the plan
 * @param nodeId its node
 * @param outputs each step's captured output (its last 16 KiB), by step id
 * @param at when the last step finished
 */
@Contract(
    value = "dev.easel.nodes.PlanFinished.v1",
    kind = Contract.Kind.REPLY,
    description = "A plan that was to be answered when finished completed; its steps' output.")
public record PlanFinished(String planId, UUID nodeId, Map<String, String> outputs, Instant at) {}
