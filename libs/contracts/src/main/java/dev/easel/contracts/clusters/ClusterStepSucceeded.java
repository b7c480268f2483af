package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A step of a cluster's saga succeeded.
 *
 * @param percent the operation's progress after it
 */
@Contract(
    value = "dev.easel.clusters.ClusterStepSucceeded.v1",
    kind = Contract.Kind.EVENT,
    description = "A step of a cluster's saga succeeded.")
public record ClusterStepSucceeded(
    UUID clusterId, String operation, String step, List<UUID> nodes, int percent, Instant at) {}
