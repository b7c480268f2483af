package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A running scan moved on: a node's part finished, or a conformance run reported its counts.
 *
 * @param completed what is done: nodes, or for conformance, tests
 * @param total what there is to do, in the same unit
 * @param failed what failed so far
 * @param message what happened, for people
 */
@Contract(
    value = "dev.easel.compliance.ScanProgressed.v1",
    kind = Contract.Kind.EVENT,
    description = "A running scan moved on (nodes done, or conformance tests completed).")
public record ScanProgressed(
    UUID scanId,
    UUID clusterId,
    String kind,
    long completed,
    long total,
    long failed,
    String message,
    Instant at) {}
