package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A backup location was removed. What it holds stays in the bucket; Easel forgets its backups. */
@Contract(
    value = "dev.easel.compliance.BackupLocationRemoved.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup location was removed; its backups stay in the bucket.")
public record BackupLocationRemoved(UUID locationId, String name, String actor, Instant at) {}
