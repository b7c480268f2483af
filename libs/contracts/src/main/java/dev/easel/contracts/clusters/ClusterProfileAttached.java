package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A cluster runs, or is being built from, a profile version. pack-manager refuses to delete a
 * profile version while any cluster has it attached.
 */
@Contract(
    value = "dev.easel.clusters.ClusterProfileAttached.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster uses a profile version.")
public record ClusterProfileAttached(
    UUID clusterId, String profileName, String profileVersion, Instant at) {}
