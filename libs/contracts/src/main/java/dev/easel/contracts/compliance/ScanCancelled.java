package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** An operator cancelled a running scan; its plans were cancelled on the nodes. */
@Contract(
    value = "dev.easel.compliance.ScanCancelled.v1",
    kind = Contract.Kind.EVENT,
    description = "A running compliance scan was cancelled.")
public record ScanCancelled(UUID scanId, UUID clusterId, String kind, String actor, Instant at) {}
