package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * Velero reported a running backup's phase and progress.
 *
 * @param phase Velero's phase, such as InProgress
 */
@Contract(
    value = "dev.easel.compliance.BackupProgressed.v1",
    kind = Contract.Kind.EVENT,
    description = "Velero reported a running backup's phase and progress.")
public record BackupProgressed(
    UUID backupId,
    UUID clusterId,
    String name,
    String phase,
    long itemsBackedUp,
    long totalItems,
    int errors,
    int warnings,
    Instant at) {}
