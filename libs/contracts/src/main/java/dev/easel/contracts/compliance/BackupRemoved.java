package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A backup is gone from Easel and from its location.
 *
 * @param reason expired (its TTL passed and it was deleted), deleted (an operator deleted it), or
 *     gone (it was no longer in the bucket at a sync)
 */
@Contract(
    value = "dev.easel.compliance.BackupRemoved.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup is gone: expired, deleted, or no longer in its bucket.")
public record BackupRemoved(
    UUID backupId, UUID locationId, String name, String reason, String actor, Instant at) {}
