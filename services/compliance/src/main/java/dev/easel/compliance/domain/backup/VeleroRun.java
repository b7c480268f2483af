package dev.easel.compliance.domain.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * A backup or a restore, as what Velero runs on a cluster: followed by reading its resource until
 * its phase is final. What the two share, so one piece of code follows both.
 */
public interface VeleroRun {

  UUID id();

  /** The cluster it runs on; null for a backup found in a bucket without Easel's label. */
  UUID clusterId();

  /** Velero's name for it. */
  String name();

  BackupState state();

  String phase();

  /** Items backed up, or restored. */
  long done();

  long totalItems();

  int errors();

  int warnings();

  String failureReason();

  Instant createdAt();

  int statusReads();
}
