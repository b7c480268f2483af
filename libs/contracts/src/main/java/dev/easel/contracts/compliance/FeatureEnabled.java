package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A compliance feature's tool was installed on a cluster, from its pack. */
@Contract(
    value = "dev.easel.compliance.FeatureEnabled.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance feature was installed on a cluster from its pack.")
public record FeatureEnabled(
    UUID clusterId, String feature, String pack, String version, String digest, Instant at) {}
