package dev.easel.compliance.domain.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * A Velero restore of a backup into a cluster, which may be another cluster than the one backed up,
 * as long as it reaches the same location.
 *
 * @param name Velero's name for it
 * @param phase the phase Velero gave last; null before it gave one
 */
public record Restore(
    UUID id,
    UUID clusterId,
    String name,
    UUID backupId,
    String backupName,
    UUID locationId,
    RestoreSpec spec,
    BackupState state,
    String phase,
    long itemsRestored,
    long totalItems,
    int errors,
    int warnings,
    String failureReason,
    String actor,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    int statusReads)
    implements VeleroRun {

  public static Restore requested(
      UUID id,
      UUID clusterId,
      String name,
      Backup backup,
      RestoreSpec spec,
      String actor,
      Instant now) {
    return new Restore(
        id,
        clusterId,
        name,
        backup.id(),
        backup.name(),
        backup.locationId(),
        spec,
        BackupState.New,
        null,
        0,
        0,
        0,
        0,
        null,
        actor,
        now,
        null,
        null,
        0);
  }

  public Restore reported(VeleroStatus s, Instant now) {
    BackupState st = s.state();
    Instant started = startedAt != null ? startedAt : s.started() != null ? s.started() : now;
    Instant completed = st.finished() ? (s.completed() != null ? s.completed() : now) : null;
    return new Restore(
        id,
        clusterId,
        name,
        backupId,
        backupName,
        locationId,
        spec,
        st,
        s.phase(),
        s.done(),
        s.total(),
        s.errors(),
        s.warnings(),
        st == BackupState.Failed ? s.reason() : null,
        actor,
        createdAt,
        started,
        completed,
        statusReads);
  }

  @Override
  public long done() {
    return itemsRestored;
  }

  public Restore failed(String reason, Instant now) {
    return new Restore(
        id,
        clusterId,
        name,
        backupId,
        backupName,
        locationId,
        spec,
        BackupState.Failed,
        phase,
        itemsRestored,
        totalItems,
        errors,
        warnings,
        reason,
        actor,
        createdAt,
        startedAt,
        now,
        statusReads);
  }

  public Restore nextRead() {
    return new Restore(
        id,
        clusterId,
        name,
        backupId,
        backupName,
        locationId,
        spec,
        state,
        phase,
        itemsRestored,
        totalItems,
        errors,
        warnings,
        failureReason,
        actor,
        createdAt,
        startedAt,
        completedAt,
        statusReads + 1);
  }
}
