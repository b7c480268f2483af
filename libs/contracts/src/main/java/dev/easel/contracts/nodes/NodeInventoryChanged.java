package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A node's agent reported an inventory that differs from the last one.
 *
 * @param nodeId the node
 * @param hostname its host name now
 * @param derivedLabels the {@code easel.dev/} labels derived from the new inventory
 * @param facts the machine's facts for placing work on it, from the new inventory
 * @param at when
 */
@Contract(
    value = "dev.easel.nodes.NodeInventoryChanged.v1",
    kind = Contract.Kind.EVENT,
    description = "A node reported a changed inventory.")
public record NodeInventoryChanged(
    UUID nodeId, String hostname, Map<String, String> derivedLabels, NodeFacts facts, Instant at) {}
