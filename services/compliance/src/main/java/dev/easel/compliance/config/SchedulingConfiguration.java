package dev.easel.compliance.config;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.easel.compliance.adapters.out.scheduling.ScheduledScans;
import dev.easel.compliance.application.BackupSchedules;
import dev.easel.compliance.application.Schedules;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.ObjectMapper;

/**
 * The scan schedules' runner: db-scheduler over the service's database, started once the context is
 * up and stopped before the data source closes. Every instance runs one; each due schedule is run
 * by one of them.
 */
@Configuration(proxyBeanMethods = false)
class SchedulingConfiguration {

  @Bean
  ScheduledScans scheduledScans(
      ObjectProvider<Schedules> schedules, ObjectProvider<BackupSchedules> backups) {
    return new ScheduledScans(schedules::getObject, backups::getObject);
  }

  /**
   * @param poll how often each instance looks for due schedules ({@code
   *     easel.compliance.schedules.poll}); a schedule runs at most this late
   */
  @Bean
  @DependsOnDatabaseInitialization
  Scheduler scanScheduler(
      DataSource dataSource,
      ScheduledScans scans,
      ObjectMapper json,
      @Value("${easel.compliance.schedules.poll:10s}") Duration poll) {
    return scans.scheduler(dataSource, json, poll, 2, null);
  }

  @Bean
  SmartLifecycle scanSchedulerLifecycle(Scheduler scheduler) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        scheduler.start();
        running = true;
      }

      @Override
      public void stop() {
        // Waits for a run in progress, so that its next time is set before the instance goes.
        scheduler.stop();
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
