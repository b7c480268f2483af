package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A scan could not finish: a plan failed, a report was unreadable, or it ran out of time. */
@Contract(
    value = "dev.easel.compliance.ScanFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A compliance scan failed, with the reason.")
public record ScanFailed(UUID scanId, UUID clusterId, String kind, String reason, Instant at) {}
