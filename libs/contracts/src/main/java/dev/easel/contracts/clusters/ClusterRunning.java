package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cluster was formed: every node joined and is Ready, its layers are applied, and its kubeconfig
 * is kept.
 */
@Contract(
    value = "dev.easel.clusters.ClusterRunning.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster was formed and every node is Ready.")
public record ClusterRunning(
    UUID clusterId, String name, String kind, List<UUID> nodeIds, Instant at) {}
