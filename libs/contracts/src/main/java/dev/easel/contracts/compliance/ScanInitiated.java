package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A scan was asked for, by an operator or a schedule, and its plans are being sent to the cluster's
 * nodes.
 *
 * @param kind {@code configuration}, {@code penetration}, {@code sbom} or {@code conformance}
 * @param trigger {@code on-demand} or {@code scheduled}
 * @param options the scan's options, as asked
 * @param nodeIds the nodes it runs on
 */
@Contract(
    value = "dev.easel.compliance.ScanInitiated.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance scan was asked for and is starting on the cluster's nodes.")
public record ScanInitiated(
    UUID scanId,
    UUID clusterId,
    String kind,
    String trigger,
    Map<String, String> options,
    List<UUID> nodeIds,
    Instant at) {}
