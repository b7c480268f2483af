package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A backup of a cluster was asked for, on demand or by its schedule, and its plan was sent to the
 * cluster's init node.
 *
 * @param name the Velero backup's name
 * @param includeClusterResources Always, Auto or Never
 * @param trigger on-demand or scheduled
 */
@Contract(
    value = "dev.easel.compliance.BackupRequested.v1",
    kind = Contract.Kind.EVENT,
    description = "A backup of a cluster was asked for, on demand or by its schedule.")
public record BackupRequested(
    UUID backupId,
    UUID clusterId,
    String name,
    UUID locationId,
    List<String> includeNamespaces,
    List<String> excludeNamespaces,
    String includeClusterResources,
    boolean includeDisks,
    int ttlHours,
    String trigger,
    String actor,
    Instant at) {}
