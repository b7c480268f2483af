package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A restore ended in Velero's phase Completed, or PartiallyFailed (with errors). */
@Contract(
    value = "dev.easel.compliance.RestoreCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A restore ended Completed or PartiallyFailed.")
public record RestoreCompleted(
    UUID restoreId,
    UUID clusterId,
    String name,
    String phase,
    long itemsRestored,
    long totalItems,
    int errors,
    int warnings,
    Instant at) {}
