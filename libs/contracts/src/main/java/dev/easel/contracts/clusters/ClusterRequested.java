package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cluster was asked for and its formation saga started.
 *
 * @param kind {@code management} or {@code workload}
 * @param nodeIds every node its pools took, init node first
 */
@Contract(
    value = "dev.easel.clusters.ClusterRequested.v1",
    kind = Contract.Kind.EVENT,
    description = "An operator asked for a cluster; its formation starts.")
public record ClusterRequested(
    UUID clusterId,
    String name,
    String kind,
    String profileName,
    String profileVersion,
    List<UUID> nodeIds,
    Instant at) {}
