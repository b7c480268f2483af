package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.backup.Backup;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.Restore;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Backup locations, backups, restores and the plans they sent. {@code lock*} take the row's lock
 * until the transaction ends: every change of a backup or restore is made holding it.
 */
public interface BackupStore {

  void insertLocation(BackupLocation l, byte[] sealedCredentials);

  /** Saves the location's settings, and its credentials when not null; bumps its version. */
  void updateLocation(BackupLocation l, byte[] sealedCredentials);

  void saveHealth(UUID locationId, BackupLocation.Health health);

  void synced(UUID locationId, Instant at);

  Optional<BackupLocation> location(UUID id);

  Optional<BackupLocation> locationNamed(String name);

  Optional<BackupLocation> lockLocation(UUID id);

  List<BackupLocation> locations();

  byte[] sealedCredentials(UUID locationId);

  /** Removes the location, its backups' rows and its schedules; false when there was none. */
  boolean deleteLocation(UUID id);

  void insertBackup(Backup b);

  /** Inserts many at once (a sync of a bucket). */
  void insertBackups(Collection<Backup> backups);

  void updateBackup(Backup b);

  Optional<Backup> backup(UUID id);

  Optional<Backup> lockBackup(UUID id);

  Optional<Backup> backupNamed(UUID locationId, String name);

  /** A cluster's backups, newest first. */
  List<Backup> backupsOfCluster(UUID clusterId, int limit);

  /** A location's backups, newest first. */
  List<Backup> backupsOfLocation(UUID locationId, int limit);

  /** Every backup of a location, by name, without its spec: what a sync compares. */
  List<Known> known(UUID locationId);

  /** A backup as a sync knows it. */
  record Known(
      UUID id, String name, String etag, String state, String trigger, Instant completedAt) {}

  /** The names of those of these ids that are backups'. */
  java.util.Map<UUID, String> namesOf(Collection<UUID> ids);

  /** A backup or restore not finished that uses the location, as "backup NAME"; empty when none. */
  Optional<String> runningThrough(UUID locationId);

  /** The backups of this name, in whichever locations hold one. */
  List<Backup> backupsNamed(String name);

  /** Backups not finished, oldest first. */
  List<Backup> runningBackups(int limit);

  /** Finished backups whose time to live has passed. */
  List<Backup> expired(Instant now, int limit);

  void deleteBackup(UUID id);

  void deleteBackups(Collection<UUID> ids);

  void insertRestore(Restore r);

  void updateRestore(Restore r);

  Optional<Restore> restore(UUID id);

  Optional<Restore> lockRestore(UUID id);

  List<Restore> restoresOfCluster(UUID clusterId, int limit);

  List<Restore> runningRestores(int limit);

  void addPlan(String planId, String ownerKind, UUID ownerId, UUID nodeId, Instant at);

  /** The plan's row while it is still queued. */
  Optional<PlanRow> queuedPlan(String planId);

  void planFinished(String planId, String state);

  /** Whether the owner has a plan not yet answered. */
  boolean hasQueuedPlan(UUID ownerId);

  /** The queued plans of an owner. */
  List<PlanRow> queuedPlans(UUID ownerId);

  /** A plan a backup or restore sent. */
  record PlanRow(String planId, String ownerKind, UUID ownerId, UUID nodeId, String state) {
    public static final String QUEUED = "QUEUED";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
  }
}
