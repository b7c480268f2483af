package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cluster was deleted and its nodes freed.
 *
 * @param forced true when it was dropped without resetting its nodes, which are marked to be reset
 *     when next seen
 */
@Contract(
    value = "dev.easel.clusters.ClusterDeleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster was deleted and its nodes freed.")
public record ClusterDeleted(
    UUID clusterId, String name, boolean forced, List<UUID> nodeIds, Instant at) {}
