package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** Velero reported a running restore's phase and progress. */
@Contract(
    value = "dev.easel.compliance.RestoreProgressed.v1",
    kind = Contract.Kind.EVENT,
    description = "Velero reported a running restore's phase and progress.")
public record RestoreProgressed(
    UUID restoreId,
    UUID clusterId,
    String name,
    String phase,
    long itemsRestored,
    long totalItems,
    int errors,
    int warnings,
    Instant at) {}
