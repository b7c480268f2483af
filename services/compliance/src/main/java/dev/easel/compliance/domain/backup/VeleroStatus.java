package dev.easel.compliance.domain.backup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What Velero says of one Backup or Restore: its custom resource, as {@code velero backup get NAME
 * -o json} prints it and as {@code velero-backup.json} holds it in the bucket.
 *
 * @param phase Velero's phase as given, or null when it has none yet
 * @param done items backed up, or restored
 * @param total items found to back up or restore
 * @param labels the resource's labels: Easel's {@code easel.dev/backup-id} and {@code
 *     easel.dev/cluster-id} among them
 * @param includeClusterResources null for Auto
 * @param expiration when Velero lets it expire; null when it did not say
 */
public record VeleroStatus(
    String name,
    String phase,
    long done,
    long total,
    int errors,
    int warnings,
    String failureReason,
    List<String> validationErrors,
    Map<String, String> labels,
    List<String> includedNamespaces,
    List<String> excludedNamespaces,
    Boolean includeClusterResources,
    Boolean snapshotVolumes,
    String storageLocation,
    Instant created,
    Instant started,
    Instant completed,
    Instant expiration) {

  public VeleroStatus {
    validationErrors = validationErrors == null ? List.of() : List.copyOf(validationErrors);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    includedNamespaces = includedNamespaces == null ? List.of() : List.copyOf(includedNamespaces);
    excludedNamespaces = excludedNamespaces == null ? List.of() : List.copyOf(excludedNamespaces);
  }

  public BackupState state() {
    return BackupState.ofPhase(phase);
  }

  /** Why it failed, in one line: the failure reason, or the validation errors. */
  public String reason() {
    if (failureReason != null && !failureReason.isBlank()) {
      return failureReason;
    }
    if (!validationErrors.isEmpty()) {
      return String.join("; ", validationErrors);
    }
    return "Velero's phase is " + phase;
  }
}
