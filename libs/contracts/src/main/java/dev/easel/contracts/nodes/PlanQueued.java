package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A plan was queued for a node's agent. */
@Contract(
    value = "dev.easel.nodes.PlanQueued.v1",
    kind = Contract.Kind.EVENT,
    description = "A plan was queued for a node's agent.")
public record PlanQueued(
    UUID nodeId, String planId, String owner, List<String> stepIds, Instant at) {}
