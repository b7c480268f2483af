package dev.easel.contracts.nodes;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An operator changed a node's user labels.
 *
 * @param nodeId the node
 * @param labels the user labels after the change
 * @param version the node's version after the change
 * @param at when
 */
@Contract(
    value = "dev.easel.nodes.NodeLabelsChanged.v1",
    kind = Contract.Kind.EVENT,
    description = "An operator changed a node's user labels.")
public record NodeLabelsChanged(
    UUID nodeId, Map<String, String> labels, long version, Instant at) {}
