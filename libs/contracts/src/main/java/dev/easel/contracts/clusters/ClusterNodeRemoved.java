package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A node left a cluster's pool and was freed.
 *
 * @param reset whether it was reset; false when it was unreachable and is marked to be reset when
 *     next seen
 */
@Contract(
    value = "dev.easel.clusters.ClusterNodeRemoved.v1",
    kind = Contract.Kind.EVENT,
    description = "A node left a cluster and was reset and released.")
public record ClusterNodeRemoved(
    UUID clusterId, UUID nodeId, String pool, boolean reset, Instant at) {}
