package dev.easel.compliance.domain.backup;

import dev.easel.compliance.domain.schedule.Cadence;
import java.util.Objects;
import java.util.UUID;

/**
 * A cluster's backups made by themselves: when, where to, and what each takes.
 *
 * @param namePrefix what each backup's Velero name starts with, {@code <prefix>-<cluster>-<time>}
 */
public record BackupSchedule(
    UUID clusterId, Cadence cadence, UUID locationId, String namePrefix, BackupSpec spec) {

  public static final String DEFAULT_PREFIX = "scheduled";

  public BackupSchedule {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(cadence, "cadence");
    Objects.requireNonNull(locationId, "locationId");
    Objects.requireNonNull(spec, "spec");
    namePrefix = namePrefix == null || namePrefix.isBlank() ? DEFAULT_PREFIX : namePrefix;
  }
}
