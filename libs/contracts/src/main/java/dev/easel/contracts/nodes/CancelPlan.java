package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.UUID;

/** Cancel a plan; steps not yet finished are not run. */
@Contract(
    value = "dev.easel.nodes.CancelPlan.v1",
    kind = Contract.Kind.COMMAND,
    description = "Cancel a plan; steps not yet finished are not run.")
public record CancelPlan(UUID nodeId, String planId, String reason) {}
