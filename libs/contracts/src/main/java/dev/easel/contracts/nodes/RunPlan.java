package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.util.List;
import java.util.UUID;

/** Queue a plan of ordered steps for one node's agent. */
@Contract(
    value = "dev.easel.nodes.RunPlan.v1",
    kind = Contract.Kind.COMMAND,
    description = "Queue a plan of ordered steps for one node's agent.")
public record RunPlan(UUID nodeId, String planId, String owner, List<PlanStep> steps) {}
