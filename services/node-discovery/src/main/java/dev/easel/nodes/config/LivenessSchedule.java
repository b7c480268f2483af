package dev.easel.nodes.config;

import dev.easel.nodes.application.Heartbeats;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the liveness work on one background thread: noted heartbeats are written every {@code
 * easel.nodes.heartbeat-flush} (1 s), and silent nodes swept at least once a second, so a silent
 * node is declared within a second of its window. On stop, what is noted is written once more.
 */
final class LivenessSchedule implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LivenessSchedule.class);

  private final Heartbeats heartbeats;
  private final Duration flushInterval;
  private ScheduledExecutorService executor;

  LivenessSchedule(Heartbeats heartbeats, Duration flushInterval) {
    this.heartbeats = heartbeats;
    this.flushInterval = flushInterval;
  }

  @Override
  public synchronized void start() {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "easel-nodes-liveness");
              t.setDaemon(true);
              return t;
            });
    long flushMs = flushInterval.toMillis();
    executor.scheduleWithFixedDelay(
        () -> safely(heartbeats::flush), flushMs, flushMs, TimeUnit.MILLISECONDS);
    long sweepMs = Math.max(200, Math.min(1_000, heartbeats.unreachableAfter().toMillis() / 8));
    executor.scheduleWithFixedDelay(
        () -> safely(heartbeats::sweep), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("liveness work failed; it runs again shortly: {}", e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdown();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor = null;
      safely(heartbeats::flush);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
