package dev.easel.common.process;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A job a service runs every so often on a daemon thread of its own, for as long as its application
 * context runs. A failing run is logged and the next one goes ahead.
 */
public final class PeriodicTask implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

  private final String name;
  private final Duration every;
  private final Runnable job;
  private final int phase;
  private final boolean runAtStart;
  private ScheduledExecutorService timer;

  /**
   * @param name the thread's name, and what the log calls the job
   * @param phase when it starts among the context's lifecycles; {@link #DEFAULT_PHASE} is after the
   *     web server
   * @param runAtStart whether the first run happens in {@link #start()} itself, so the context does
   *     not go on until it has succeeded
   */
  public PeriodicTask(String name, Duration every, int phase, boolean runAtStart, Runnable job) {
    this.name = name;
    this.every = every;
    this.phase = phase;
    this.runAtStart = runAtStart;
    this.job = job;
  }

  /** Runs first one {@code every} after the context starts, and then every {@code every}. */
  public PeriodicTask(String name, Duration every, Runnable job) {
    this(name, every, DEFAULT_PHASE, false, job);
  }

  @Override
  public synchronized void start() {
    if (runAtStart) {
      job.run();
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            job.run();
          } catch (RuntimeException e) {
            log.warn("{} failed; will try again: {}", name, e.toString());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return timer != null && !timer.isShutdown();
  }

  @Override
  public int getPhase() {
    return phase;
  }
}
