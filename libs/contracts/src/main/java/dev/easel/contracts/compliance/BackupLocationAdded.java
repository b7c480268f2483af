package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A backup location was added after a real connection showed it works: its bucket exists and a
 * probe object could be written, read and deleted. Never its credentials.
 */
@Contract(
    value = "dev.easel.compliance.BackupLocationAdded.v1",
    kind = Contract.Kind.EVENT,
    description = "An operator added a backup location; it was reached and works.")
public record BackupLocationAdded(
    UUID locationId,
    String name,
    String provider,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    String actor,
    Instant at) {}
