package dev.easel.compliance.adapters.out.scheduling;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.easel.compliance.application.BackupSchedules;
import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.domain.scan.ScanKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import tools.jackson.databind.ObjectMapper;

/**
 * The db-scheduler task that runs scan schedules: one execution per schedule, instance {@code
 * <clusterId>:<kind>}, in the {@code scheduled_tasks} table every instance polls. db-scheduler
 * hands each due execution to one instance alone. A run starts the scan and then moves its own
 * execution to the schedule's next time after now: however many times were missed while no instance
 * was up, the scan runs once and the next time is in the future.
 */
public final class ScheduledScans {

  private static final Logger log = LoggerFactory.getLogger(ScheduledScans.class);

  public static final String TASK_NAME = "scheduled-scan";

  /** Which schedule an execution runs. */
  public record Target(UUID clusterId, String kind) {}

  static final TaskDescriptor<Target> TASK = TaskDescriptor.of(TASK_NAME, Target.class);

  private final CustomTask<Target> task;

  /**
   * @param schedules looked up when a run starts: the use case needs the timer, which needs the
   *     scheduler, which needs this task
   */
  public ScheduledScans(Supplier<Schedules> schedules, Supplier<BackupSchedules> backups) {
    this.task =
        Tasks.custom(TASK)
            .execute(
                (instance, context) ->
                    BACKUP.equals(instance.getData() == null ? null : instance.getData().kind())
                        ? runBackup(instance, backups.get())
                        : run(instance, schedules.get()));
  }

  /** The kind of a backup schedule's executions: one runner wakes scans and backups alike. */
  static final String BACKUP = "backup";

  static TaskInstance<Target> backupInstance(UUID clusterId) {
    return TASK.instance(clusterId + ":" + BACKUP).data(new Target(clusterId, BACKUP)).build();
  }

  private static CompletionHandler<Target> runBackup(
      TaskInstance<Target> instance, BackupSchedules backups) {
    UUID clusterId = instance.getData().clusterId();
    backups.run(clusterId);
    return (complete, operations) ->
        backups
            .nextRun(clusterId)
            .ifPresentOrElse(at -> operations.reschedule(complete, at), operations::remove);
  }

  static String instanceId(UUID clusterId, ScanKind kind) {
    return clusterId + ":" + kind.wireName();
  }

  static TaskInstance<Target> instance(UUID clusterId, ScanKind kind) {
    return TASK.instance(instanceId(clusterId, kind))
        .data(new Target(clusterId, kind.wireName()))
        .build();
  }

  private static CompletionHandler<Target> run(TaskInstance<Target> instance, Schedules schedules) {
    Target target = instance.getData();
    Optional<ScanKind> kind = target == null ? Optional.empty() : ScanKind.parse(target.kind());
    if (kind.isEmpty()) {
      log.warn("execution {} names no schedule; removed", instance.getTaskAndInstance());
      return (complete, operations) -> operations.remove();
    }
    schedules.run(target.clusterId(), kind.get());
    // The next time is taken when the run ends, from the schedule as stored then: a change made
    // while it ran is not lost, and a removal ends it.
    return (complete, operations) ->
        schedules
            .nextRun(target.clusterId(), kind.get())
            .ifPresentOrElse(at -> operations.reschedule(complete, at), operations::remove);
  }

  /**
   * A scheduler for this task. Its connections join the caller's Spring transaction when there is
   * one, so a schedule and its execution change together.
   *
   * @param name the instance's name in {@code picked_by}; the host name when null
   */
  public Scheduler scheduler(
      DataSource dataSource,
      ObjectMapper json,
      Duration pollingInterval,
      int threads,
      String name) {
    DataSource transactional =
        dataSource instanceof TransactionAwareDataSourceProxy
            ? dataSource
            : new TransactionAwareDataSourceProxy(dataSource);
    var builder =
        Scheduler.create(transactional, List.of(task))
            .threads(threads)
            .pollingInterval(pollingInterval)
            .serializer(new JsonTaskData(json))
            // A run only starts a scan; one that takes longer is stuck.
            .shutdownMaxWait(Duration.ofSeconds(30));
    if (name != null) {
      builder.schedulerName(new SchedulerName.Fixed(name));
    }
    return builder.build();
  }
}
