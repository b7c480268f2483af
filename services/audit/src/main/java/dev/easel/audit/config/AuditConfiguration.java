package dev.easel.audit.config;

import dev.easel.audit.application.Checkpointing;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The checkpoint timer: the chain's head published every {@code easel.audit.checkpoint-every}. */
@Configuration
class AuditConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

  @Bean
  SmartLifecycle auditCheckpoints(
      Checkpointing checkpointing, @Value("${easel.audit.checkpoint-every:5m}") Duration every) {
    return new SmartLifecycle() {
      private ScheduledExecutorService timer;

      @Override
      public void start() {
        timer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "audit-checkpoints");
                  t.setDaemon(true);
                  return t;
                });
        timer.scheduleWithFixedDelay(
            () -> {
              try {
                checkpointing.checkpoint();
              } catch (RuntimeException e) {
                log.warn("checkpointing the audit chain failed; will try again: {}", e.toString());
              }
            },
            every.toMillis(),
            every.toMillis(),
            TimeUnit.MILLISECONDS);
      }

      @Override
      public void stop() {
        if (timer != null) {
          timer.shutdownNow();
        }
      }

      @Override
      public boolean isRunning() {
        return timer != null && !timer.isShutdown();
      }
    };
  }
}
