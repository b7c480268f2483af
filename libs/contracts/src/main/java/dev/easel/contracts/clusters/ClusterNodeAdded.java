package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A node joined a cluster's pool.
 *
 * @param role {@code control-plane} or {@code worker}
 */
@Contract(
    value = "dev.easel.clusters.ClusterNodeAdded.v1",
    kind = Contract.Kind.EVENT,
    description = "A node joined a running cluster.")
public record ClusterNodeAdded(UUID clusterId, UUID nodeId, String pool, String role, Instant at) {}
