package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;

/**
 * A compliance feature can be enabled on clusters: the pack that provides it is in a synced
 * registry.
 *
 * @param feature {@code backup-restore}, {@code configuration-security}, {@code
 *     penetration-testing}, {@code sbom} or {@code conformance}
 * @param pack the pack that provides it
 * @param version the pack version that will be installed: the highest one available
 */
@Contract(
    value = "dev.easel.compliance.FeatureAvailable.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance feature's pack is in a synced registry; clusters can enable it.")
public record FeatureAvailable(
    String feature, String pack, String version, String registry, Instant at) {}
