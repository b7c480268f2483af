package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A step of a cluster's formation, growth, shrinking or deletion started (or was tried again).
 *
 * @param operation {@code formation}, {@code add-nodes}, {@code remove-nodes} or {@code deletion}
 * @param step the step's name, such as {@code install-init}
 * @param nodes the nodes it runs on; empty for a step that runs on none
 * @param attempt 1 for the first try
 * @param percent the operation's progress when the step started, weighted by step
 */
@Contract(
    value = "dev.easel.clusters.ClusterStepStarted.v1",
    kind = Contract.Kind.EVENT,
    description = "A step of a cluster's saga started.")
public record ClusterStepStarted(
    UUID clusterId,
    String operation,
    String step,
    List<UUID> nodes,
    int attempt,
    int percent,
    Instant at) {}
