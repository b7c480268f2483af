package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.schedule.ScanSchedule;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The clusters' scan schedules, one per cluster and kind. */
public interface ScheduleStore {

  /** Adds or replaces the schedule; its row stays locked until the transaction ends. */
  void save(ScanSchedule schedule);

  Optional<ScanSchedule> find(UUID clusterId, ScanKind kind);

  /** A cluster's schedules, in kind order. */
  List<ScanSchedule> ofCluster(UUID clusterId);

  /** Removes the schedule; false when there was none. */
  boolean delete(UUID clusterId, ScanKind kind);
}
