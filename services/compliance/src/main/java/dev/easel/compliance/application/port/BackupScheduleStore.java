package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.backup.BackupSchedule;
import java.util.Optional;
import java.util.UUID;

/** The clusters' backup schedules, one per cluster. */
public interface BackupScheduleStore {

  /** Adds or replaces the cluster's schedule. */
  void save(BackupSchedule schedule);

  Optional<BackupSchedule> find(UUID clusterId);

  /** Removes it; false when there was none. */
  boolean delete(UUID clusterId);
}
