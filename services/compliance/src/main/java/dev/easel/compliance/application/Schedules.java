package dev.easel.compliance.application;

import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ScanStarter;
import dev.easel.compliance.application.port.ScheduleStore;
import dev.easel.compliance.application.port.ScheduleTimer;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.schedule.ScanSchedule;
import dev.easel.compliance.domain.schedule.ScheduleProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scan schedules: set, removed and listed by operators, and run when their time comes. A schedule
 * and its timer change in one transaction. A run starts one scan and sets the next time from now,
 * not from the time it was due, so that runs missed while no instance was up are made up once.
 */
@Component
public class Schedules {

  private static final Logger log = LoggerFactory.getLogger(Schedules.class);

  public static final String TRIGGER = "scheduled";
  public static final String ACTOR = "schedule";

  /** The requested schedule is wrong; nothing was changed. */
  public static final class Invalid extends RuntimeException {
    private final List<ScheduleProblem> problems;

    public Invalid(List<ScheduleProblem> problems) {
      super(problems.size() + " problem(s) with the schedule; nothing was changed");
      this.problems = List.copyOf(problems);
    }

    public List<ScheduleProblem> problems() {
      return problems;
    }
  }

  /** A schedule and when it runs next. */
  public record Planned(ScanSchedule schedule, Instant nextRunAt) {}

  private final ScheduleStore store;
  private final ScheduleTimer timer;
  private final ClusterReplica clusters;
  private final ScanStarter starter;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Schedules(
      ScheduleStore store,
      ScheduleTimer timer,
      ClusterReplica clusters,
      ScanStarter starter,
      TransactionTemplate tx,
      Clock clock) {
    this.store = store;
    this.timer = timer;
    this.clusters = clusters;
    this.starter = starter;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Sets a cluster's schedule for a kind of scan, replacing any it had, and its next run.
   *
   * @throws Invalid with every problem of the request
   * @throws Features.ClusterNotFound when the cluster is not running
   */
  public Planned put(
      UUID clusterId,
      ScanKind kind,
      String preset,
      String cron,
      String timeZone,
      Map<String, String> options) {
    ScanSchedule.Validation checked =
        ScanSchedule.validate(clusterId, kind, preset, cron, timeZone, options);
    if (checked instanceof ScanSchedule.Invalid invalid) {
      throw new Invalid(invalid.problems());
    }
    ScanSchedule schedule = ((ScanSchedule.Valid) checked).schedule();
    if (clusters.find(clusterId).isEmpty()) {
      throw new Features.ClusterNotFound(clusterId);
    }
    return tx.execute(
        s -> {
          store.save(schedule);
          Instant next = schedule.nextAfter(clock.instant());
          timer.set(clusterId, kind, next);
          return new Planned(schedule, next);
        });
  }

  /** Removes the schedule: the kind is scanned on demand only. False when there was none. */
  public boolean delete(UUID clusterId, ScanKind kind) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              if (!store.delete(clusterId, kind)) {
                return false;
              }
              timer.clear(clusterId, kind);
              return true;
            }));
  }

  /**
   * A cluster's schedules with their next runs. A time in the past is a run that is due and about
   * to start.
   */
  public List<Planned> list(UUID clusterId) {
    Instant now = clock.instant();
    List<Planned> out = new ArrayList<>();
    for (ScanSchedule s : store.ofCluster(clusterId)) {
      Instant next = timer.next(clusterId, s.kind()).orElseGet(() -> s.nextAfter(now));
      out.add(new Planned(s, next));
    }
    return out;
  }

  public Optional<Planned> find(UUID clusterId, ScanKind kind) {
    return store
        .find(clusterId, kind)
        .map(
            s ->
                new Planned(
                    s, timer.next(clusterId, kind).orElseGet(() -> s.nextAfter(clock.instant()))));
  }

  /**
   * The schedule's time came: starts its scan. A scan that cannot start (the cluster is gone, the
   * feature not enabled, one of its kind still running) is logged and skipped; the schedule keeps
   * its next time. A schedule removed meanwhile starts nothing.
   */
  public void run(UUID clusterId, ScanKind kind) {
    Optional<ScanSchedule> schedule = store.find(clusterId, kind);
    if (schedule.isEmpty()) {
      return;
    }
    try {
      starter.start(clusterId, kind, schedule.get().options(), TRIGGER, ACTOR);
    } catch (RuntimeException e) {
      log.warn(
          "the scheduled {} scan of cluster {} did not start: {}",
          kind.wireName(),
          clusterId,
          e.getMessage());
    }
  }

  /**
   * When the schedule runs next, counted from now, as it is stored now; empty when it was removed.
   */
  public Optional<Instant> nextRun(UUID clusterId, ScanKind kind) {
    return store.find(clusterId, kind).map(s -> s.nextAfter(clock.instant()));
  }
}
