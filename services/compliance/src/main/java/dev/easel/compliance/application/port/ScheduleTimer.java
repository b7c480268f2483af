package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.scan.ScanKind;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The one runner, shared by every instance, that wakes a schedule when its time comes. Setting and
 * clearing join the caller's transaction.
 */
public interface ScheduleTimer {

  /**
   * The schedule's next run is at {@code at}. A run in progress keeps going; it sets the next time
   * itself, from the stored schedule, when it ends.
   */
  void set(UUID clusterId, ScanKind kind, Instant at);

  /** The schedule runs no more. A run in progress ends without setting a next one. */
  void clear(UUID clusterId, ScanKind kind);

  /** When the schedule runs next; empty when the runner has none for it. */
  Optional<Instant> next(UUID clusterId, ScanKind kind);
}
