package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A cluster's formation failed. Its touched nodes were reset and released, unless {@code cleanedUp}
 * is false, when an operator must look.
 *
 * @param step the step that failed
 * @param node the node whose plan failed, when one did
 * @param output that plan step's last lines of output
 */
@Contract(
    value = "dev.easel.clusters.ClusterFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster's formation failed and was undone.")
public record ClusterFailed(
    UUID clusterId,
    String step,
    UUID node,
    String reason,
    String output,
    boolean cleanedUp,
    Instant at) {}
