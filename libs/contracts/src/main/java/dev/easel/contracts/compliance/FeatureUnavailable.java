package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;

/**
 * A compliance feature's pack left every registry. Clusters that enabled it keep it; they are shown
 * as having no source for it.
 */
@Contract(
    value = "dev.easel.compliance.FeatureUnavailable.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance feature's pack left every registry; no cluster can enable it.")
public record FeatureUnavailable(String feature, String pack, String reason, Instant at) {}
