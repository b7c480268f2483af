package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * Syncing a location found a backup in its bucket that Easel did not know: made by Velero outside
 * Easel, or by another appliance.
 *
 * @param clusterId the cluster named by the backup's easel.dev/cluster-id label; null when it has
 *     none
 */
@Contract(
    value = "dev.easel.compliance.BackupDiscovered.v1",
    kind = Contract.Kind.EVENT,
    description = "A location's bucket holds a backup Easel did not know, made elsewhere.")
public record BackupDiscovered(
    UUID backupId, UUID locationId, String name, UUID clusterId, String phase, Instant at) {}
