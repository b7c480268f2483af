package dev.easel.compliance.adapters.out.scheduling;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import dev.easel.compliance.application.port.BackupTimer;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The backup schedules' timer: executions of the scans' task, of kind {@code backup}. */
@Component
class DbSchedulerBackupTimer implements BackupTimer {

  private final SchedulerClient client;

  DbSchedulerBackupTimer(SchedulerClient client) {
    this.client = client;
  }

  @Override
  public void set(UUID clusterId, Instant at) {
    try {
      client.schedule(
          ScheduledScans.backupInstance(clusterId),
          at,
          SchedulerClient.ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
    } catch (TaskInstanceCurrentlyExecutingException e) {
      // The run in progress takes its next time from the stored schedule when it ends.
    }
  }

  @Override
  public void clear(UUID clusterId) {
    try {
      client.cancel(ScheduledScans.TASK.instanceId(clusterId + ":" + ScheduledScans.BACKUP));
    } catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException e) {
      // None to clear, or the run in progress finds no schedule when it ends and stops.
    }
  }

  @Override
  public Optional<Instant> next(UUID clusterId) {
    return client
        .getScheduledExecution(
            ScheduledScans.TASK.instanceId(clusterId + ":" + ScheduledScans.BACKUP))
        .map(ScheduledExecution::getExecutionTime);
  }
}
