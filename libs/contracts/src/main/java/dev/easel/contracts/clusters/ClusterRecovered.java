package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** Every node of a degraded cluster is reachable again; it is running. */
@Contract(
    value = "dev.easel.clusters.ClusterRecovered.v1",
    kind = Contract.Kind.EVENT,
    description = "Every node of a degraded cluster is reachable again.")
public record ClusterRecovered(UUID clusterId, Instant at) {}
