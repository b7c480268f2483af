package dev.easel.compliance.application;

import dev.easel.compliance.application.port.BackupScheduleStore;
import dev.easel.compliance.application.port.BackupTimer;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.BackupSchedule;
import dev.easel.compliance.domain.backup.BackupSpec;
import dev.easel.compliance.domain.backup.LocationSpec;
import dev.easel.compliance.domain.schedule.Cadence;
import dev.easel.compliance.domain.schedule.ScheduleProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backup schedules, on the scans' presets or a cron, run by the same db-scheduler runner as scan
 * schedules: a run starts one backup and takes the next time from now, so runs missed while no
 * instance was up are made up once.
 */
@Component
public class BackupSchedules {

  private static final Logger log = LoggerFactory.getLogger(BackupSchedules.class);

  /** A schedule and when it runs next. */
  public record Planned(BackupSchedule schedule, BackupLocation location, Instant nextRunAt) {}

  /** A schedule asked for: when, and the backup it makes. */
  public record Request(
      String preset, String cron, String timeZone, String namePrefix, Backups.Request backup) {}

  private final BackupScheduleStore store;
  private final BackupTimer timer;
  private final ClusterReplica clusters;
  private final BackupLocations locations;
  private final Backups backups;
  private final TransactionTemplate tx;
  private final Clock clock;

  public BackupSchedules(
      BackupScheduleStore store,
      BackupTimer timer,
      ClusterReplica clusters,
      BackupLocations locations,
      Backups backups,
      TransactionTemplate tx,
      Clock clock) {
    this.store = store;
    this.timer = timer;
    this.clusters = clusters;
    this.locations = locations;
    this.backups = backups;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Sets the cluster's backup schedule, replacing any it had.
   *
   * @throws Backups.Invalid with every problem of the request
   */
  public Planned put(UUID clusterId, Request r) {
    List<ScheduleProblem> timing = new ArrayList<>();
    Cadence cadence = r == null ? null : Cadence.check(r.preset(), r.cron(), r.timeZone(), timing);
    List<LocationSpec.Problem> problems = new ArrayList<>();
    for (ScheduleProblem p : timing) {
      problems.add(new LocationSpec.Problem(p.field(), p.code(), p.message()));
    }
    Backups.Request b = r == null ? null : r.backup();
    if (b == null || b.location() == null || b.location().isBlank()) {
      problems.add(
          new LocationSpec.Problem("location", "required", "location is a location's name or id"));
    }
    BackupSpec spec =
        b == null
            ? null
            : BackupSpec.check(
                b.includeNamespaces(),
                b.excludeNamespaces(),
                b.includeClusterResources(),
                b.includeDisks(),
                b.ttlHours(),
                problems);
    if (r != null
        && r.namePrefix() != null
        && !r.namePrefix().isBlank()
        && !r.namePrefix().matches("[a-z0-9]([-a-z0-9]{0,18}[a-z0-9])?")) {
      problems.add(
          new LocationSpec.Problem(
              "namePrefix",
              "invalid",
              "namePrefix is 1 to 20 lowercase letters, digits and '-', starting and ending with a"
                  + " letter or digit"));
    }
    if (!problems.isEmpty() || cadence == null) {
      throw new Backups.Invalid(problems);
    }
    BackupLocation location = locations.find(b.location());
    if (clusters.find(clusterId).isEmpty()) {
      throw new Features.ClusterNotFound(clusterId);
    }
    BackupSchedule schedule =
        new BackupSchedule(clusterId, cadence, location.id(), r.namePrefix(), spec);
    return tx.execute(
        s -> {
          store.save(schedule);
          Instant next = cadence.nextAfter(clock.instant());
          timer.set(clusterId, next);
          return new Planned(schedule, location, next);
        });
  }

  public Optional<Planned> find(UUID clusterId) {
    return store
        .find(clusterId)
        .map(
            s ->
                new Planned(
                    s,
                    locations.get(s.locationId()),
                    timer.next(clusterId).orElseGet(() -> s.cadence().nextAfter(clock.instant()))));
  }

  /** Removes the schedule; false when there was none. */
  public boolean delete(UUID clusterId) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              if (!store.delete(clusterId)) {
                return false;
              }
              timer.clear(clusterId);
              return true;
            }));
  }

  /**
   * The schedule's time came: starts its backup. One that cannot start is logged and skipped; the
   * schedule keeps its next time.
   */
  public void run(UUID clusterId) {
    Optional<BackupSchedule> schedule = store.find(clusterId);
    if (schedule.isEmpty()) {
      return;
    }
    BackupSchedule s = schedule.get();
    BackupSpec spec = s.spec();
    try {
      backups.start(
          clusterId,
          new Backups.Request(
              s.locationId().toString(),
              spec.includeNamespaces(),
              spec.excludeNamespaces(),
              spec.includeClusterResources().wireName(),
              spec.includeDisks(),
              spec.ttlHours()),
          dev.easel.compliance.domain.backup.Backup.SCHEDULED,
          s.namePrefix(),
          Schedules.ACTOR);
    } catch (RuntimeException e) {
      log.warn("the scheduled backup of cluster {} did not start: {}", clusterId, e.getMessage());
    }
  }

  /** When it runs next, from now, as stored now; empty when it was removed. */
  public Optional<Instant> nextRun(UUID clusterId) {
    return store.find(clusterId).map(s -> s.cadence().nextAfter(clock.instant()));
  }
}
