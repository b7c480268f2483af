package dev.easel.common.config;

import dev.easel.common.saga.SagaEngine;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/** Fires saga deadlines and removes old inbox rows, on one background thread. */
public final class BackboneScheduler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BackboneScheduler.class);

  private final SagaEngine sagas;
  private final boolean sagasDefined;
  private final JdbcTemplate jdbc;
  private final Duration deadlinePoll;
  private final Duration inboxRetention;
  private ScheduledExecutorService executor;

  public BackboneScheduler(
      SagaEngine sagas,
      boolean sagasDefined,
      JdbcTemplate jdbc,
      Duration deadlinePoll,
      Duration inboxRetention) {
    this.sagas = sagas;
    this.sagasDefined = sagasDefined;
    this.jdbc = jdbc;
    this.deadlinePoll = deadlinePoll;
    this.inboxRetention = inboxRetention;
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "easel-backbone-scheduler");
              t.setDaemon(true);
              return t;
            });
    if (sagasDefined) {
      executor.scheduleWithFixedDelay(
          this::fireDeadlines,
          deadlinePoll.toMillis(),
          deadlinePoll.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    executor.scheduleWithFixedDelay(this::cleanInbox, 1, 10, TimeUnit.MINUTES);
  }

  private void fireDeadlines() {
    try {
      while (sagas.fireDeadlines(100) == 100) {
        // A full page means more are due; keep going rather than wait a poll interval.
      }
    } catch (RuntimeException e) {
      log.warn("firing saga deadlines failed; will try again: {}", e.toString());
    }
  }

  private void cleanInbox() {
    try {
      jdbc.update(
          "DELETE FROM easel.inbox WHERE received_at < now() - make_interval(secs => ?)",
          (double) inboxRetention.toSeconds());
    } catch (RuntimeException e) {
      log.warn("inbox cleanup failed; will try again: {}", e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor = null;
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
