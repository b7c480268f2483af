package dev.easel.compliance.adapters.out.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.easel.compliance.adapters.out.persistence.Migrated;
import dev.easel.compliance.adapters.out.persistence.Stores;
import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ScanStarter;
import dev.easel.compliance.application.port.ScheduleStore;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanTarget;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scan schedules run by db-scheduler on the real PostgreSQL: made-up runs, one runner across
 * instances, removals and failures.
 */
class ScheduledScansTest {

  private static final Duration POLL = Duration.ofMillis(100);

  private static Migrated db;
  private static ScheduleStore store;
  private static ClusterReplica clusters;
  private static Schedules schedules;
  private static ScheduledScans scans;
  private static final Starts starts = new Starts();

  private final List<Scheduler> started = new ArrayList<>();

  /** Counts the scans asked for; refuses clusters that cannot scan now. */
  static final class Starts implements ScanStarter {
    final List<UUID> calls = new CopyOnWriteArrayList<>();
    final Set<UUID> refused = ConcurrentHashMap.newKeySet();

    @Override
    public Scan start(
        UUID clusterId, ScanKind kind, Map<String, String> options, String trigger, String actor) {
      calls.add(clusterId);
      assertThat(trigger).isEqualTo("scheduled");
      assertThat(actor).isEqualTo("schedule");
      if (refused.contains(clusterId)) {
        throw new IllegalStateException("configuration-security is not enabled");
      }
      return Scan.initiated(
          UUID.randomUUID(), clusterId, kind, trigger, options, 1, actor, Instant.now());
    }

    long of(UUID clusterId) {
      return calls.stream().filter(clusterId::equals).count();
    }
  }

  @BeforeAll
  static void migrate() {
    db = Migrated.database("compliance_schedules");
    store = Stores.schedules(db);
    clusters = Stores.clusters(db);
    scans = new ScheduledScans(() -> schedules, () -> null);
    Scheduler client = scans.scheduler(db.dataSource(), Migrated.JSON, POLL, 2, "client");
    schedules =
        new Schedules(
            store, new DbSchedulerTimer(client), clusters, starts, db.tx(), Clock.systemUTC());
  }

  @AfterEach
  void stopSchedulers() {
    started.forEach(Scheduler::stop);
  }

  private void startInstances(String... names) {
    for (String name : names) {
      Scheduler s = scans.scheduler(db.dataSource(), Migrated.JSON, POLL, 2, name);
      s.start();
      started.add(s);
    }
  }

  private static UUID runningCluster() {
    UUID id = UUID.randomUUID();
    clusters.running(
        id, "c-" + id, null, null, List.of(new ScanTarget.Node(UUID.randomUUID(), "cp", "init")));
    return id;
  }

  private static String instance(UUID cluster) {
    return cluster + ":configuration";
  }

  private static Instant executionTime(UUID cluster) {
    List<Timestamp> t =
        db.jdbc()
            .queryForList(
                "SELECT execution_time FROM scheduled_tasks WHERE task_name = 'scheduled-scan'"
                    + " AND task_instance = ?",
                Timestamp.class,
                instance(cluster));
    return t.isEmpty() ? null : t.get(0).toInstant();
  }

  /** Moves the schedule's execution back, as if every instance had been down since then. */
  private static void dueSince(UUID cluster, Instant at) {
    db.jdbc()
        .update(
            "UPDATE scheduled_tasks SET execution_time = ? WHERE task_instance = ?",
            Timestamp.from(at),
            instance(cluster));
  }

  @Test
  void aScheduleThreeSlotsOverdueStartsOneScanAndIsSetIntoTheFuture() {
    UUID cluster = runningCluster();
    Schedules.Planned p =
        schedules.put(cluster, ScanKind.CONFIGURATION, "weekly", null, "America/New_York", null);
    assertThat(executionTime(cluster)).isEqualTo(p.nextRunAt());
    // The slots of three weeks ago, two weeks ago and last week were all missed.
    dueSince(cluster, p.nextRunAt().minus(21, ChronoUnit.DAYS));

    startInstances("a");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> starts.of(cluster) == 1 && executionTime(cluster).isAfter(Instant.now()));
    assertThat(executionTime(cluster)).isEqualTo(p.nextRunAt());
    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> starts.of(cluster) == 1);
  }

  @Test
  void twoInstancesOnOneDatabaseRunADueScheduleOnce() {
    UUID cluster = runningCluster();
    Schedules.Planned p =
        schedules.put(cluster, ScanKind.CONFIGURATION, "custom", "0 3 * * *", "UTC", Map.of());
    dueSince(cluster, Instant.now().minus(1, ChronoUnit.HOURS));

    startInstances("a", "b");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> starts.of(cluster) == 1 && executionTime(cluster).isAfter(Instant.now()));
    assertThat(executionTime(cluster)).isEqualTo(p.nextRunAt());
    Awaitility.await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> starts.of(cluster) == 1);
  }

  @Test
  void aScheduleRemovedBeforeItsRunStartsNothingAndItsExecutionGoes() {
    UUID cluster = runningCluster();
    schedules.put(cluster, ScanKind.CONFIGURATION, "monthly", null, null, null);
    // Removed from the store alone, as when the removal commits while the run is under way.
    store.delete(cluster, ScanKind.CONFIGURATION);
    dueSince(cluster, Instant.now().minusSeconds(60));

    startInstances("a");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> executionTime(cluster) == null);
    assertThat(starts.of(cluster)).isZero();
  }

  @Test
  void aScanThatCannotStartIsSkippedAndTheScheduleKeepsGoing() {
    UUID cluster = runningCluster();
    starts.refused.add(cluster);
    Schedules.Planned p =
        schedules.put(cluster, ScanKind.CONFIGURATION, "weekly", null, null, null);
    dueSince(cluster, Instant.now().minusSeconds(60));

    startInstances("a");

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> starts.of(cluster) == 1 && executionTime(cluster).isAfter(Instant.now()));
    assertThat(executionTime(cluster)).isEqualTo(p.nextRunAt());
    assertThat(
            db.jdbc()
                .queryForObject(
                    "SELECT coalesce(consecutive_failures, 0) FROM scheduled_tasks"
                        + " WHERE task_instance = ?",
                    Integer.class,
                    instance(cluster)))
        .isZero();
  }

  @Test
  void settingAScheduleAgainMovesItsOneExecutionAndRemovingItRemovesIt() {
    UUID cluster = runningCluster();
    schedules.put(cluster, ScanKind.CONFIGURATION, "monthly", null, "UTC", null);
    Schedules.Planned weekly =
        schedules.put(cluster, ScanKind.CONFIGURATION, "weekly", null, "Asia/Tokyo", null);

    assertThat(executionTime(cluster)).isEqualTo(weekly.nextRunAt());
    assertThat(schedules.list(cluster))
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.nextRunAt()).isEqualTo(weekly.nextRunAt());
              assertThat(l.schedule().zone().getId()).isEqualTo("Asia/Tokyo");
            });

    assertThat(schedules.delete(cluster, ScanKind.CONFIGURATION)).isTrue();
    assertThat(executionTime(cluster)).isNull();
    assertThat(schedules.list(cluster)).isEmpty();
    assertThat(schedules.delete(cluster, ScanKind.CONFIGURATION)).isFalse();
  }

  @Test
  void aScheduleAndItsExecutionAreWrittenInOneTransaction() {
    UUID cluster = runningCluster();
    try {
      db.tx()
          .executeWithoutResult(
              s -> {
                schedules.put(cluster, ScanKind.CONFIGURATION, "weekly", null, null, null);
                throw new IllegalStateException("rolled back");
              });
    } catch (IllegalStateException expected) {
      // The outer transaction took the schedule's with it.
    }
    assertThat(executionTime(cluster)).isNull();
    assertThat(store.find(cluster, ScanKind.CONFIGURATION)).isEmpty();
  }
}
