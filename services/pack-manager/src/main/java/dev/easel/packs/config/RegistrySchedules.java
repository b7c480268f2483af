package dev.easel.packs.config;

import dev.easel.packs.application.Registries;
import dev.easel.packs.application.Syncing;
import dev.easel.packs.application.port.RegistryStore;
import dev.easel.packs.domain.RegistrySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The schedules of registries: health checks every {@code easel.packs.health-interval}, and syncs
 * when due (each registry's interval), when asked, or when woken. A sync runs on its own thread;
 * one registry syncs once at a time here, and the lease in its row keeps other instances out. On
 * the first start, the internal registry given in configuration is registered.
 */
@Component
class RegistrySchedules implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RegistrySchedules.class);

  private final RegistryStore store;
  private final Registries registries;
  private final Syncing syncing;
  private final Clock clock;
  private final Duration healthInterval;
  private final Duration poll;
  private final InternalRegistry internal;
  private final SyncSignal signal;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService syncs =
      Executors.newFixedThreadPool(2, PackManagerConfiguration.named("pack-syncs-"));
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(PackManagerConfiguration.named("pack-schedule-"));
  private volatile boolean started;

  /** The internal registry of configuration, registered once when none exists. */
  record InternalRegistry(
      String endpoint, String baseContentPath, String username, String password) {}

  RegistrySchedules(
      RegistryStore store,
      Registries registries,
      Syncing syncing,
      SyncSignal signal,
      Clock clock,
      @Value("${easel.packs.health-interval:60s}") Duration healthInterval,
      @Value("${easel.packs.sync.poll:10s}") Duration poll,
      @Value("${easel.packs.internal-registry.endpoint:}") String internalEndpoint,
      @Value("${easel.packs.internal-registry.base-content-path:}") String internalBase,
      @Value("${easel.packs.internal-registry.username:}") String internalUser,
      @Value("${easel.packs.internal-registry.password:}") String internalPassword) {
    this.store = store;
    this.registries = registries;
    this.syncing = syncing;
    this.signal = signal;
    this.clock = clock;
    this.healthInterval = healthInterval;
    this.poll = poll;
    this.internal =
        internalEndpoint.isBlank()
            ? null
            : new InternalRegistry(internalEndpoint, internalBase, internalUser, internalPassword);
  }

  @EventListener(ApplicationReadyEvent.class)
  void registerInternal() {
    if (internal == null) {
      return;
    }
    try {
      registries
          .ensureInternal(
              new RegistrySpec(
                  "internal",
                  "internal",
                  internal.endpoint(),
                  internal.baseContentPath(),
                  internal.username().isBlank() ? null : internal.username(),
                  internal.password().isBlank() ? null : internal.password(),
                  null,
                  false,
                  null))
          .ifPresent(r -> log.info("registered the internal registry {}", r.endpoint()));
    } catch (RuntimeException e) {
      log.error("could not register the internal registry {}", internal.endpoint(), e);
    }
    wake();
  }

  private void wake() {
    if (started) {
      timer.execute(this::syncDue);
    }
  }

  private void syncDue() {
    try {
      for (UUID id : store.dueForSync(clock.instant())) {
        if (running.add(id)) {
          syncs.execute(
              () -> {
                try {
                  syncing.sync(id);
                } catch (RuntimeException e) {
                  log.warn("sync of registry {} failed", id, e);
                } finally {
                  running.remove(id);
                }
              });
        }
      }
    } catch (RuntimeException e) {
      log.warn("could not look for registries to sync", e);
    }
  }

  private void checkDue() {
    try {
      for (UUID id : store.dueForHealthCheck(clock.instant().minus(healthInterval))) {
        registries.checkHealth(id);
      }
    } catch (RuntimeException e) {
      log.warn("health checks failed", e);
    }
  }

  @Override
  public void start() {
    started = true;
    signal.listen(this::wake);
    timer.scheduleWithFixedDelay(
        this::syncDue, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    long h = Math.max(1000, healthInterval.toMillis() / 4);
    timer.scheduleWithFixedDelay(this::checkDue, h, h, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    started = false;
    timer.shutdownNow();
    syncs.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
