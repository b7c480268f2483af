package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A running cluster lost touch with some of its nodes.
 *
 * @param unreachable every node of the cluster that is unreachable now
 */
@Contract(
    value = "dev.easel.clusters.ClusterDegraded.v1",
    kind = Contract.Kind.EVENT,
    description = "A node of a running cluster became unreachable.")
public record ClusterDegraded(UUID clusterId, List<UUID> unreachable, Instant at) {}
