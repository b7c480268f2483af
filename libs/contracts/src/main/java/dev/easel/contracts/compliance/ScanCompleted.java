package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A scan finished and its report is stored.
 *
 * @param summary the report's counts: {@code pass}, {@code fail}, {@code warn}, {@code info},
 *     {@code skipped}, and vulnerabilities by severity ({@code critical}, {@code high}, ...)
 */
@Contract(
    value = "dev.easel.compliance.ScanCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance scan finished; its report's counts.")
public record ScanCompleted(
    UUID scanId, UUID clusterId, String kind, Map<String, Long> summary, Instant at) {}
