package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A backup ended in Velero's phase Completed, or PartiallyFailed (it is usable, with errors), and
 * is in its location until it expires.
 */
@Contract(
    value = "dev.easel.compliance.BackupCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup ended Completed or PartiallyFailed, and is in its location.")
public record BackupCompleted(
    UUID backupId,
    UUID clusterId,
    String name,
    UUID locationId,
    String phase,
    long itemsBackedUp,
    long totalItems,
    int errors,
    int warnings,
    Instant expiresAt,
    Instant at) {}
