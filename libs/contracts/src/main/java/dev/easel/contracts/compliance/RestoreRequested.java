package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A restore of a backup into a cluster was asked for, and its plan sent to that cluster's init
 * node. The cluster need not be the one that was backed up.
 *
 * @param name the Velero restore's name
 */
@Contract(
    value = "dev.easel.compliance.RestoreRequested.v1",
    kind = Contract.Kind.EVENT,
    description = "A restore of a backup into a cluster was asked for.")
public record RestoreRequested(
    UUID restoreId,
    UUID clusterId,
    String name,
    UUID backupId,
    String backupName,
    List<String> includeNamespaces,
    Map<String, String> namespaceMappings,
    String includeClusterResources,
    boolean restorePVs,
    String actor,
    Instant at) {}
