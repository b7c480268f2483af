package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A cluster no longer uses a profile version: it was deleted, or moved to another version. */
@Contract(
    value = "dev.easel.clusters.ClusterProfileDetached.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster stopped using a profile version.")
public record ClusterProfileDetached(
    UUID clusterId, String profileName, String profileVersion, Instant at) {}
