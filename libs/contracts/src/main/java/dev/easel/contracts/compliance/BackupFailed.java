package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A backup failed: Velero's phase Failed or FailedValidation, or a plan that could not run.
 *
 * @param phase Velero's last phase, or null when Velero never reported one
 */
@Contract(
    value = "dev.easel.compliance.BackupFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup failed, in Velero or on its way there.")
public record BackupFailed(
    UUID backupId, UUID clusterId, String name, String phase, String reason, Instant at) {}
