package dev.easel.nodes.adapters.out.signals;

import dev.easel.nodes.application.port.PlanSignals;
import dev.easel.nodes.application.port.PlanStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes agents' long polls when their node's plans change.
 *
 * <p>A change committed by this instance wakes its waiters right after commit. A change committed
 * by another instance is found by one query per interval over the revisions changed recently, so N
 * waiting agents cost one query, not N. On shutdown every waiting poll is answered at once, so a
 * graceful stop is not held up by agents.
 */
public final class PlanWakeups implements PlanSignals, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PlanWakeups.class);

  /** Commits can land out of {@code changed_at} order; look back this far. */
  private static final Duration LOOK_BACK = Duration.ofSeconds(10);

  private record Waiter(long since, LongConsumer wake) {}

  private final Map<UUID, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private final PlanStore plans;
  private final Clock clock;
  private final Duration crossInstancePoll;
  private ScheduledExecutorService scheduler;
  private ExecutorService waking;

  public PlanWakeups(PlanStore plans, Clock clock, Duration crossInstancePoll) {
    this.plans = plans;
    this.clock = clock;
    this.crossInstancePoll = crossInstancePoll;
  }

  @Override
  public Runnable await(UUID nodeId, long since, LongConsumer wake) {
    Waiter w = new Waiter(since, wake);
    if (!isRunning()) {
      wake.accept(since); // shutting down: answer now rather than hold the shutdown up
      return () -> {};
    }
    waiters.compute(
        nodeId,
        (k, v) -> {
          Set<Waiter> set = v == null ? ConcurrentHashMap.newKeySet() : v;
          set.add(w);
          return set;
        });
    return () -> remove(nodeId, w);
  }

  @Override
  public void changedAfterCommit(UUID nodeId) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      changed(nodeId, Long.MAX_VALUE);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            changed(nodeId, Long.MAX_VALUE);
          }
        });
  }

  /** Number of polls waiting now. */
  public int waiting() {
    return waiters.values().stream().mapToInt(Set::size).sum();
  }

  private void changed(UUID nodeId, long revision) {
    Set<Waiter> ws = waiters.get(nodeId);
    if (ws == null) {
      return;
    }
    for (Waiter w : ws) {
      if (revision > w.since() && ws.remove(w)) {
        ExecutorService ex = waking;
        if (ex == null) {
          w.wake().accept(revision);
        } else {
          ex.execute(() -> w.wake().accept(revision));
        }
      }
    }
    waiters.computeIfPresent(nodeId, (k, v) -> v.isEmpty() ? null : v);
  }

  private void remove(UUID nodeId, Waiter w) {
    waiters.computeIfPresent(
        nodeId,
        (k, v) -> {
          v.remove(w);
          return v.isEmpty() ? null : v;
        });
  }

  private void pollOtherInstances() {
    if (waiters.isEmpty()) {
      return;
    }
    Instant since = clock.instant().minus(LOOK_BACK).minus(crossInstancePoll);
    plans.revisionsChangedSince(since).forEach(this::changed);
  }

  @Override
  public synchronized void start() {
    waking = Executors.newFixedThreadPool(2, daemon("easel-nodes-plan-wake"));
    scheduler = Executors.newSingleThreadScheduledExecutor(daemon("easel-nodes-plan-signals"));
    long ms = crossInstancePoll.toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            pollOtherInstances();
          } catch (RuntimeException e) {
            log.warn("plan signal poll failed; it runs again shortly: {}", e.toString());
          }
        },
        ms,
        ms,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Answers every waiting poll before the web server's graceful shutdown starts, which would
   * otherwise wait for each one to time out. Agents poll again, and find the next instance.
   */
  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
      for (UUID nodeId : List.copyOf(waiters.keySet())) {
        Set<Waiter> ws = waiters.remove(nodeId);
        if (ws != null) {
          ws.forEach(w -> w.wake().accept(w.since()));
        }
      }
      waking.shutdown();
      waking = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
