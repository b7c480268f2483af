package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A step of a cluster's saga failed: refused, timed out, or a node's plan failed.
 *
 * @param node the node whose plan failed, when one did
 * @param reason why, for people
 * @param output the failed plan step's last lines of output, when there was one; it never holds the
 *     contents of secret files, which agents mask
 * @param timedOut whether no answer came in time
 */
@Contract(
    value = "dev.easel.clusters.ClusterStepFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A step of a cluster's saga failed; what undoes it follows.")
public record ClusterStepFailed(
    UUID clusterId,
    String operation,
    String step,
    UUID node,
    String reason,
    String output,
    boolean timedOut,
    Instant at) {}
