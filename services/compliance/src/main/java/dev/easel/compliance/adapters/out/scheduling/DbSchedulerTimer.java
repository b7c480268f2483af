package dev.easel.compliance.adapters.out.scheduling;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import dev.easel.compliance.application.port.ScheduleTimer;
import dev.easel.compliance.domain.scan.ScanKind;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The schedules' timer: their executions in db-scheduler's table. */
@Component
class DbSchedulerTimer implements ScheduleTimer {

  private final SchedulerClient client;

  DbSchedulerTimer(SchedulerClient client) {
    this.client = client;
  }

  @Override
  public void set(UUID clusterId, ScanKind kind, Instant at) {
    try {
      client.schedule(
          ScheduledScans.instance(clusterId, kind),
          at,
          SchedulerClient.ScheduleOptions.WHEN_EXISTS_RESCHEDULE);
    } catch (TaskInstanceCurrentlyExecutingException e) {
      // The run in progress takes its next time from the stored schedule when it ends.
    }
  }

  @Override
  public void clear(UUID clusterId, ScanKind kind) {
    try {
      client.cancel(ScheduledScans.TASK.instanceId(ScheduledScans.instanceId(clusterId, kind)));
    } catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException e) {
      // None to clear, or the run in progress finds no schedule when it ends and stops.
    }
  }

  @Override
  public Optional<Instant> next(UUID clusterId, ScanKind kind) {
    return client
        .getScheduledExecution(
            ScheduledScans.TASK.instanceId(ScheduledScans.instanceId(clusterId, kind)))
        .map(ScheduledExecution::getExecutionTime);
  }
}
