package dev.easel.compliance.domain.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * A Velero backup of a cluster: one Easel asked for, or one found in a location's bucket.
 *
 * @param clusterId the cluster backed up; null for a backup found in a bucket without Easel's label
 * @param name Velero's name for it, unique within its location
 * @param phase the phase Velero gave last; null before it gave one
 * @param trigger on-demand, scheduled, or bucket (found by a sync)
 * @param etag the ETag of its {@code velero-backup.json} when it was last read from the bucket
 * @param statusReads how many status reads were sent, to name the next one's plan
 */
public record Backup(
    UUID id,
    UUID clusterId,
    UUID locationId,
    String name,
    BackupSpec spec,
    BackupState state,
    String phase,
    long itemsBackedUp,
    long totalItems,
    int errors,
    int warnings,
    String failureReason,
    String trigger,
    String actor,
    Instant createdAt,
    Instant startedAt,
    Instant completedAt,
    Instant expiresAt,
    String etag,
    int statusReads)
    implements VeleroRun {

  public static final String ON_DEMAND = "on-demand";
  public static final String SCHEDULED = "scheduled";
  public static final String FROM_BUCKET = "bucket";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /**
   * A Velero name for a new backup, {@code <prefix>-<cluster>-<yyyyMMddHHmmss>}, as the seed's
   * console names them, with four characters of its id so two in one second differ; at most 63
   * characters, since Velero puts it in labels.
   */
  public static String newName(String prefix, String clusterName, Instant at, UUID id) {
    String tail = "-" + STAMP.format(at) + "-" + id.toString().substring(0, 4);
    String head = label(prefix) + "-" + label(clusterName);
    head = head.length() > 63 - tail.length() ? head.substring(0, 63 - tail.length()) : head;
    while (head.endsWith("-")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + tail;
  }

  /** Lowercase letters, digits and single dashes. */
  static String label(String s) {
    String l =
        (s == null ? "" : s)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    return l.isEmpty() ? "cluster" : l;
  }

  public static Backup requested(
      UUID id,
      UUID clusterId,
      UUID locationId,
      String name,
      BackupSpec spec,
      String trigger,
      String actor,
      Instant now) {
    return new Backup(
        id,
        clusterId,
        locationId,
        name,
        spec,
        BackupState.New,
        null,
        0,
        0,
        0,
        0,
        null,
        trigger,
        actor,
        now,
        null,
        null,
        now.plusSeconds(spec.ttlHours() * 3600L),
        null,
        0);
  }

  /** As Velero reports it now. */
  public Backup reported(VeleroStatus s, Instant now) {
    BackupState st = s.state();
    Instant started = startedAt != null ? startedAt : s.started() != null ? s.started() : now;
    Instant completed = st.finished() ? (s.completed() != null ? s.completed() : now) : null;
    Instant expires = s.expiration() != null ? s.expiration() : expiresAt;
    return new Backup(
        id,
        clusterId,
        locationId,
        name,
        spec,
        st,
        s.phase(),
        s.done(),
        s.total(),
        s.errors(),
        s.warnings(),
        st == BackupState.Failed ? s.reason() : null,
        trigger,
        actor,
        createdAt,
        started,
        completed,
        expires,
        etag,
        statusReads);
  }

  @Override
  public long done() {
    return itemsBackedUp;
  }

  public Backup failed(String reason, Instant now) {
    return new Backup(
        id,
        clusterId,
        locationId,
        name,
        spec,
        BackupState.Failed,
        phase,
        itemsBackedUp,
        totalItems,
        errors,
        warnings,
        reason,
        trigger,
        actor,
        createdAt,
        startedAt,
        now,
        expiresAt,
        etag,
        statusReads);
  }

  public Backup nextRead() {
    return new Backup(
        id,
        clusterId,
        locationId,
        name,
        spec,
        state,
        phase,
        itemsBackedUp,
        totalItems,
        errors,
        warnings,
        failureReason,
        trigger,
        actor,
        createdAt,
        startedAt,
        completedAt,
        expiresAt,
        etag,
        statusReads + 1);
  }
}
