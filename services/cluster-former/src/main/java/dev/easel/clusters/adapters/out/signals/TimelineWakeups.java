package dev.easel.clusters.adapters.out.signals;

import dev.easel.clusters.application.port.ProgressSignals;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the timeline streams of a cluster in this instance once a change has committed. Streams
 * also poll, so a change made by another instance reaches them within their poll interval.
 */
@Component
public class TimelineWakeups implements ProgressSignals {

  private final Map<UUID, Set<Runnable>> followers = new ConcurrentHashMap<>();

  @Override
  public void changedAfterCommit(UUID clusterId) {
    if (!followers.containsKey(clusterId)) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              wake(clusterId);
            }
          });
    } else {
      wake(clusterId);
    }
  }

  /** Calls {@code wake} after each committed change of the cluster, until it is removed. */
  public Runnable follow(UUID clusterId, Runnable wake) {
    followers.computeIfAbsent(clusterId, k -> new CopyOnWriteArraySet<>()).add(wake);
    return () ->
        followers.computeIfPresent(
            clusterId,
            (k, set) -> {
              set.remove(wake);
              return set.isEmpty() ? null : set;
            });
  }

  private void wake(UUID clusterId) {
    Set<Runnable> set = followers.get(clusterId);
    if (set != null) {
      set.forEach(Runnable::run);
    }
  }
}
