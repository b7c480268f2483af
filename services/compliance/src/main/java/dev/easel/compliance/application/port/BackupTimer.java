package dev.easel.compliance.application.port;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The runner shared by every instance that wakes a cluster's backup schedule when its time comes;
 * setting and clearing join the caller's transaction.
 */
public interface BackupTimer {

  void set(UUID clusterId, Instant at);

  void clear(UUID clusterId);

  Optional<Instant> next(UUID clusterId);
}
