package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.BackupStore;
import dev.easel.compliance.application.port.BackupStore.PlanRow;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.FeatureStore;
import dev.easel.compliance.application.port.ObjectStores;
import dev.easel.compliance.application.port.VeleroReader;
import dev.easel.compliance.domain.backup.Backup;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.BackupSpec;
import dev.easel.compliance.domain.backup.BackupState;
import dev.easel.compliance.domain.backup.LocationSpec;
import dev.easel.compliance.domain.backup.Restore;
import dev.easel.compliance.domain.backup.RestoreSpec;
import dev.easel.compliance.domain.backup.VeleroPlans;
import dev.easel.compliance.domain.backup.VeleroRun;
import dev.easel.compliance.domain.backup.VeleroStatus;
import dev.easel.compliance.domain.feature.Feature;
import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.contracts.compliance.BackupCompleted;
import dev.easel.contracts.compliance.BackupFailed;
import dev.easel.contracts.compliance.BackupProgressed;
import dev.easel.contracts.compliance.BackupRemoved;
import dev.easel.contracts.compliance.BackupRequested;
import dev.easel.contracts.compliance.RestoreCompleted;
import dev.easel.contracts.compliance.RestoreFailed;
import dev.easel.contracts.compliance.RestoreProgressed;
import dev.easel.contracts.compliance.RestoreRequested;
import dev.easel.contracts.nodes.PlanStep;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backups and restores of clusters with Velero. Each runs as a plan on the cluster's init node that
 * makes the location known to Velero and starts it; then its custom resource is read every {@code
 * easel.compliance.backups.poll-interval} with a short plan of its own, each read published as
 * progress, until Velero's phase is final. Every change locks the backup's or restore's row.
 */
@Component
public class Backups {

  private static final Logger log = LoggerFactory.getLogger(Backups.class);

  public static final String BACKUP = "backup";
  public static final String RESTORE = "restore";

  /** The request is wrong; nothing was started. */
  public static final class Invalid extends RuntimeException {
    private final List<LocationSpec.Problem> problems;

    public Invalid(List<LocationSpec.Problem> problems) {
      super(problems.size() + " problem(s) with the request; nothing was started");
      this.problems = List.copyOf(problems);
    }

    public List<LocationSpec.Problem> problems() {
      return problems;
    }
  }

  /** It cannot be done now; {@link #code()} says why. */
  public static final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  public static final class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message);
    }
  }

  /** The location's store failed while deleting; nothing was changed. */
  public static final class StoreFailed extends RuntimeException {
    public StoreFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A backup asked for. */
  public record Request(
      String location,
      List<String> includeNamespaces,
      List<String> excludeNamespaces,
      String includeClusterResources,
      Boolean includeDisks,
      Integer ttlHours) {}

  /** A restore asked for: {@code backup} is a backup's id or its name. */
  public record RestoreRequest(
      String backup,
      String location,
      List<String> includeNamespaces,
      Map<String, String> namespaceMappings,
      String includeClusterResources,
      Boolean restorePVs) {}

  private final BackupStore store;
  private final BackupLocations locations;
  private final ClusterReplica clusters;
  private final FeatureStore features;
  private final NodeCommands nodes;
  private final VeleroReader velero;
  private final ObjectStores objectStores;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration interval;
  private final Map<UUID, Instant> lastRead = new ConcurrentHashMap<>();

  public Backups(
      BackupStore store,
      BackupLocations locations,
      ClusterReplica clusters,
      FeatureStore features,
      NodeCommands nodes,
      VeleroReader velero,
      ObjectStores objectStores,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      @Value("${easel.compliance.backups.poll-interval:5s}") Duration interval) {
    this.store = store;
    this.locations = locations;
    this.clusters = clusters;
    this.features = features;
    this.nodes = nodes;
    this.velero = velero;
    this.objectStores = objectStores;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
    this.interval = interval;
  }

  /** Whether a plan is one of a backup's or restore's. */
  public static boolean owns(String planId) {
    return planId != null && (planId.startsWith(BACKUP + "-") || planId.startsWith(RESTORE + "-"));
  }

  /**
   * Starts a backup of a running cluster whose backup feature is enabled.
   *
   * @param namePrefix what its Velero name starts with
   * @throws Invalid with every problem of the request
   * @throws Features.ClusterNotFound when the cluster is not running
   * @throws BackupLocations.NotFound when the location is unknown
   * @throws Refused when the feature is not enabled, the location is unavailable, or a backup of
   *     the cluster is running
   */
  public Backup start(UUID clusterId, Request r, String trigger, String namePrefix, String actor) {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    if (r == null || r.location() == null || r.location().isBlank()) {
      problems.add(
          new LocationSpec.Problem("location", "required", "location is a location's name or id"));
    }
    BackupSpec spec =
        r == null
            ? null
            : BackupSpec.check(
                r.includeNamespaces(),
                r.excludeNamespaces(),
                r.includeClusterResources(),
                r.includeDisks(),
                r.ttlHours(),
                problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    BackupLocation location = locations.find(r.location());
    ScanTarget target = enabledCluster(clusterId);
    if (location.health() != null && !location.health().available()) {
      throw new Refused(
          "location-unavailable",
          "backup location "
              + location.name()
              + " is unavailable: "
              + location.health().message()
              + "; fix it, then check it again (POST /api/v1/backup-locations/"
              + location.id()
              + "/check)");
    }
    var credentials = locations.credentials(location);
    return tx.execute(
        s -> {
          for (Backup b : store.backupsOfCluster(clusterId, 20)) {
            if (!b.state().finished() && !Backup.FROM_BUCKET.equals(b.trigger())) {
              throw new Refused(
                  "backup-running", "backup " + b.name() + " of the cluster is running: " + b.id());
            }
          }
          Instant now = clock.instant();
          UUID id = UUID.randomUUID();
          String name = Backup.newName(namePrefix, target.name(), now, id);
          Backup b =
              Backup.requested(id, clusterId, location.id(), name, spec, trigger, actor, now);
          store.insertBackup(b);
          List<PlanStep> steps = new ArrayList<>(VeleroPlans.location(location, credentials));
          steps.add(VeleroPlans.backupCreate(b, location));
          send(BACKUP, id, target.init(), VeleroPlans.planId(BACKUP, id), "backup " + name, steps);
          outbox.publishEvent(
              id.toString(),
              new BackupRequested(
                  id,
                  clusterId,
                  name,
                  location.id(),
                  spec.includeNamespaces(),
                  spec.excludeNamespaces(),
                  spec.includeClusterResources().wireName(),
                  spec.includeDisks(),
                  spec.ttlHours(),
                  trigger,
                  actor,
                  now));
          return b;
        });
  }

  /**
   * Restores a usable backup into a running cluster whose backup feature is enabled; it may be
   * another cluster than the one backed up.
   */
  public Restore restore(UUID clusterId, RestoreRequest r, String actor) {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    if (r == null || r.backup() == null || r.backup().isBlank()) {
      problems.add(
          new LocationSpec.Problem("backup", "required", "backup is a backup's name or id"));
    }
    RestoreSpec spec =
        r == null
            ? null
            : RestoreSpec.check(
                r.includeNamespaces(),
                r.namespaceMappings(),
                r.includeClusterResources(),
                r.restorePVs(),
                problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    Backup backup = findBackup(r.backup(), r.location());
    if (!backup.state().usable()) {
      throw new Refused(
          "backup-not-usable",
          "backup "
              + backup.name()
              + " is "
              + backup.state()
              + "; only a Completed or"
              + " PartiallyFailed backup can be restored");
    }
    ScanTarget target = enabledCluster(clusterId);
    BackupLocation location = locations.get(backup.locationId());
    var credentials = locations.credentials(location);
    return tx.execute(
        s -> {
          for (Restore running : store.restoresOfCluster(clusterId, 20)) {
            if (!running.state().finished()) {
              throw new Refused(
                  "restore-running",
                  "restore " + running.name() + " into the cluster is running: " + running.id());
            }
          }
          Instant now = clock.instant();
          UUID id = UUID.randomUUID();
          String name = Backup.newName("restore", backup.name(), now, id);
          Restore restore = Restore.requested(id, clusterId, name, backup, spec, actor, now);
          store.insertRestore(restore);
          List<PlanStep> steps = new ArrayList<>(VeleroPlans.location(location, credentials));
          steps.add(VeleroPlans.backupSynced(backup.name()));
          steps.add(VeleroPlans.restoreCreate(restore));
          send(
              RESTORE,
              id,
              target.init(),
              VeleroPlans.planId(RESTORE, id),
              "restore " + name,
              steps);
          outbox.publishEvent(
              id.toString(),
              new RestoreRequested(
                  id,
                  clusterId,
                  name,
                  backup.id(),
                  backup.name(),
                  spec.includeNamespaces(),
                  spec.namespaceMappings(),
                  spec.includeClusterResources().wireName(),
                  spec.restorePVs(),
                  actor,
                  now));
          return restore;
        });
  }

  private ScanTarget enabledCluster(UUID clusterId) {
    ScanTarget target =
        clusters.find(clusterId).orElseThrow(() -> new Features.ClusterNotFound(clusterId));
    boolean enabled =
        features
            .find(clusterId, Feature.BACKUP_RESTORE)
            .filter(e -> FeatureStore.Enablement.ENABLED.equals(e.state()))
            .isPresent();
    if (!enabled) {
      throw new Refused(
          "feature-not-enabled",
          "backup-restore is not enabled on cluster "
              + clusterId
              + ": enable it first (PUT /api/v1/clusters/"
              + clusterId
              + "/compliance/features/backup-restore)");
    }
    return target;
  }

  private void send(
      String kind,
      UUID ownerId,
      ScanTarget.Node node,
      String planId,
      String what,
      List<PlanStep> steps) {
    store.addPlan(planId, kind, ownerId, node.nodeId(), clock.instant());
    nodes.run(node.nodeId(), planId, "compliance: " + what, steps);
  }

  /**
   * What following a backup or a restore needs of its kind: its rows, the step that reads its
   * resource, and its events. Both are followed by the same code.
   */
  private record Kind<T extends VeleroRun>(
      String name,
      Function<UUID, Optional<T>> find,
      Function<UUID, Optional<T>> lock,
      Consumer<T> update,
      IntFunction<List<T>> running,
      String readStep,
      Function<String, PlanStep> read,
      Function<String, VeleroStatus> parse,
      BiFunction<T, VeleroStatus, T> reported,
      BiFunction<T, String, T> failed,
      UnaryOperator<T> nextRead,
      Function<T, Object> progressed,
      Function<T, Object> completed,
      BiFunction<T, String, Object> failedEvent) {}

  private Kind<Backup> backups() {
    return new Kind<>(
        BACKUP,
        store::backup,
        store::lockBackup,
        store::updateBackup,
        store::runningBackups,
        VeleroPlans.BACKUP_GET_STEP,
        VeleroPlans::backupGet,
        json -> velero.backup(json.getBytes(StandardCharsets.UTF_8)),
        (b, s) -> b.reported(s, clock.instant()),
        (b, why) -> b.failed(why, clock.instant()),
        Backup::nextRead,
        b ->
            new BackupProgressed(
                b.id(),
                b.clusterId(),
                b.name(),
                b.phase(),
                b.itemsBackedUp(),
                b.totalItems(),
                b.errors(),
                b.warnings(),
                clock.instant()),
        b ->
            new BackupCompleted(
                b.id(),
                b.clusterId(),
                b.name(),
                b.locationId(),
                b.phase(),
                b.itemsBackedUp(),
                b.totalItems(),
                b.errors(),
                b.warnings(),
                b.expiresAt(),
                clock.instant()),
        (b, why) ->
            new BackupFailed(b.id(), b.clusterId(), b.name(), b.phase(), why, clock.instant()));
  }

  private Kind<Restore> restores() {
    return new Kind<>(
        RESTORE,
        store::restore,
        store::lockRestore,
        store::updateRestore,
        store::runningRestores,
        VeleroPlans.RESTORE_GET_STEP,
        VeleroPlans::restoreGet,
        velero::restore,
        (r, s) -> r.reported(s, clock.instant()),
        (r, why) -> r.failed(why, clock.instant()),
        Restore::nextRead,
        r ->
            new RestoreProgressed(
                r.id(),
                r.clusterId(),
                r.name(),
                r.phase(),
                r.itemsRestored(),
                r.totalItems(),
                r.errors(),
                r.warnings(),
                clock.instant()),
        r ->
            new RestoreCompleted(
                r.id(),
                r.clusterId(),
                r.name(),
                r.phase(),
                r.itemsRestored(),
                r.totalItems(),
                r.errors(),
                r.warnings(),
                clock.instant()),
        (r, why) ->
            new RestoreFailed(r.id(), r.clusterId(), r.name(), r.phase(), why, clock.instant()));
  }

  /** A backup's or restore's plan finished. Runs in the inbox's transaction. */
  public void planFinished(String planId, Map<String, String> outputs) {
    Optional<PlanRow> plan = queued(planId);
    if (plan.isPresent()) {
      if (BACKUP.equals(plan.get().ownerKind())) {
        finished(backups(), plan.get(), outputs);
      } else {
        finished(restores(), plan.get(), outputs);
      }
    }
  }

  private <T extends VeleroRun> void finished(
      Kind<T> kind, PlanRow p, Map<String, String> outputs) {
    store.planFinished(p.planId(), PlanRow.DONE);
    T run = kind.find().apply(p.ownerId()).orElseThrow();
    if (run.state().finished()) {
      return;
    }
    if (!p.planId().contains("-status-")) {
      // Velero took it; its phase comes with the first read, sent at once.
      kind.update().accept(kind.reported().apply(run, statusOf(run.name(), "New")));
      lastRead.remove(run.id());
      return;
    }
    String json = outputs == null ? null : outputs.get(kind.readStep());
    VeleroStatus s;
    try {
      s = kind.parse().apply(json == null ? "" : json);
    } catch (IllegalArgumentException e) {
      fail(kind, run, "Velero's " + kind.name() + " could not be read: " + e.getMessage());
      return;
    }
    T moved = kind.reported().apply(run, s);
    kind.update().accept(moved);
    if (moved.state().usable()) {
      lastRead.remove(run.id());
      outbox.publishEvent(run.id().toString(), kind.completed().apply(moved));
    } else if (moved.state() == BackupState.Failed) {
      lastRead.remove(run.id());
      log.info("{} {} failed: {}", kind.name(), run.name(), moved.failureReason());
      outbox.publishEvent(
          run.id().toString(), kind.failedEvent().apply(moved, moved.failureReason()));
    } else {
      outbox.publishEvent(run.id().toString(), kind.progressed().apply(moved));
    }
  }

  /** A backup's or restore's plan failed or was refused. Runs in the inbox's transaction. */
  public void planFailed(String planId, String reason) {
    Optional<PlanRow> plan = queued(planId);
    if (plan.isEmpty()) {
      return;
    }
    store.planFinished(planId, PlanRow.FAILED);
    String why = planId.contains("-status-") ? "Velero could not be read: " + reason : reason;
    if (BACKUP.equals(plan.get().ownerKind())) {
      failIfRunning(backups(), plan.get().ownerId(), why);
    } else {
      failIfRunning(restores(), plan.get().ownerId(), why);
    }
  }

  private <T extends VeleroRun> void failIfRunning(Kind<T> kind, UUID id, String why) {
    kind.find().apply(id).filter(r -> !r.state().finished()).ifPresent(r -> fail(kind, r, why));
  }

  /** Fails it, and cancels its plans still queued. Call with it locked. */
  private <T extends VeleroRun> void fail(Kind<T> kind, T run, String reason) {
    kind.update().accept(kind.failed().apply(run, reason));
    lastRead.remove(run.id());
    for (PlanRow p : store.queuedPlans(run.id())) {
      store.planFinished(p.planId(), PlanRow.CANCELLED);
      nodes.cancel(p.nodeId(), p.planId(), "the " + kind.name() + " failed");
    }
    log.info("{} {} failed: {}", kind.name(), run.name(), reason);
    outbox.publishEvent(run.id().toString(), kind.failedEvent().apply(run, reason));
  }

  /** The plan's row while queued, with its owner locked; empty for one answered before. */
  private Optional<PlanRow> queued(String planId) {
    Optional<PlanRow> plan = store.queuedPlan(planId);
    if (plan.isEmpty()) {
      return plan;
    }
    if (BACKUP.equals(plan.get().ownerKind())) {
      store.lockBackup(plan.get().ownerId());
    } else {
      store.lockRestore(plan.get().ownerId());
    }
    return store.queuedPlan(planId);
  }

  private static VeleroStatus statusOf(String name, String phase) {
    return new VeleroStatus(
        name, phase, 0, 0, 0, 0, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  /**
   * Sends a status read for each running backup and restore whose last read is older than the
   * interval and that has no plan in flight.
   *
   * @return how many reads were sent
   */
  public int poll() {
    Set<UUID> live = new HashSet<>();
    int sent = poll(backups(), live) + poll(restores(), live);
    lastRead.keySet().retainAll(live);
    return sent;
  }

  private <T extends VeleroRun> int poll(Kind<T> kind, Set<UUID> live) {
    int sent = 0;
    Instant now = clock.instant();
    for (T run : kind.running().apply(1000)) {
      live.add(run.id());
      // A backup found in a bucket mid-run is another Velero's to follow.
      if (run.clusterId() == null
          || run instanceof Backup b && Backup.FROM_BUCKET.equals(b.trigger())
          || !due(run.id(), now)) {
        continue;
      }
      Boolean did =
          tx.execute(
              t -> {
                T locked = kind.lock().apply(run.id()).orElse(null);
                if (locked == null || locked.state().finished() || store.hasQueuedPlan(run.id())) {
                  return false;
                }
                Optional<ScanTarget> target = clusters.find(locked.clusterId());
                if (target.isEmpty()) {
                  fail(kind, locked, "the cluster is gone");
                  return false;
                }
                T next = kind.nextRead().apply(locked);
                kind.update().accept(next);
                send(
                    kind.name(),
                    run.id(),
                    target.get().init(),
                    VeleroPlans.statusPlanId(kind.name(), run.id(), next.statusReads()),
                    "read " + kind.name() + " " + run.name(),
                    List.of(kind.read().apply(run.name())));
                return true;
              });
      if (Boolean.TRUE.equals(did)) {
        lastRead.put(run.id(), now);
        sent++;
      }
    }
    return sent;
  }

  private boolean due(UUID id, Instant now) {
    Instant last = lastRead.get(id);
    return last == null || !last.plus(interval).isAfter(now);
  }

  /**
   * Deletes a finished backup, from its location first.
   *
   * @throws Refused while it runs
   * @throws StoreFailed when the location would not delete it; nothing was changed
   */
  public void delete(UUID id, String actor) {
    Backup b = store.backup(id).orElseThrow(() -> new NotFound("no backup " + id));
    if (!b.state().finished()) {
      throw new Refused("backup-running", "backup " + b.name() + " is running; wait for it");
    }
    remove(b, "deleted", actor);
  }

  /**
   * Deletes the backups whose time to live has passed, in their locations too. One that cannot be
   * deleted now is tried again next time.
   *
   * @return how many were deleted
   */
  public int expire() {
    int n = 0;
    for (Backup b : store.expired(clock.instant(), 200)) {
      try {
        remove(b, "expired", null);
        n++;
      } catch (RuntimeException e) {
        log.warn("expired backup {} could not be deleted yet: {}", b.name(), e.getMessage());
      }
    }
    return n;
  }

  private void remove(Backup b, String reason, String actor) {
    BackupLocation l = locations.get(b.locationId());
    try (ObjectStores.ObjectStore os = objectStores.open(locations.access(l))) {
      os.deleteAll(l.backupsKeyPrefix() + b.name() + "/");
    } catch (ObjectStores.ObjectStoreException e) {
      throw new StoreFailed(
          "backup " + b.name() + " could not be deleted from " + l.name() + ": " + e.getMessage(),
          e);
    }
    tx.executeWithoutResult(
        s -> {
          if (store.lockBackup(b.id()).isEmpty()) {
            return;
          }
          store.deleteBackup(b.id());
          outbox.publishEvent(
              b.id().toString(),
              new BackupRemoved(b.id(), b.locationId(), b.name(), reason, actor, clock.instant()));
        });
  }

  /** Fails the backups and restores that ran longer than {@code limit}. */
  public int failOverdue(Duration limit) {
    return failOverdue(backups(), limit) + failOverdue(restores(), limit);
  }

  private <T extends VeleroRun> int failOverdue(Kind<T> kind, Duration limit) {
    int n = 0;
    Instant now = clock.instant();
    for (T run : kind.running().apply(1000)) {
      if (run instanceof Backup b && Backup.FROM_BUCKET.equals(b.trigger())
          || !run.createdAt().plus(limit).isBefore(now)) {
        continue;
      }
      Boolean failed =
          tx.execute(
              t -> {
                T locked = kind.lock().apply(run.id()).orElse(null);
                if (locked == null || locked.state().finished()) {
                  return false;
                }
                fail(kind, locked, "it ran longer than " + limit.toMinutes() + " minutes");
                return true;
              });
      n += Boolean.TRUE.equals(failed) ? 1 : 0;
    }
    return n;
  }

  /** By id, or by name within a location (any location when it names none and only one has it). */
  public Backup findBackup(String idOrName, String location) {
    try {
      UUID id = UUID.fromString(idOrName);
      return store.backup(id).orElseThrow(() -> new NotFound("no backup " + id));
    } catch (IllegalArgumentException e) {
      if (location != null && !location.isBlank()) {
        BackupLocation l = locations.find(location);
        return store
            .backupNamed(l.id(), idOrName)
            .orElseThrow(() -> new NotFound("no backup " + idOrName + " in " + l.name()));
      }
      List<Backup> found = store.backupsNamed(idOrName);
      if (found.isEmpty()) {
        throw new NotFound("no backup named " + idOrName);
      }
      if (found.size() > 1) {
        throw new Refused(
            "backup-ambiguous",
            found.size() + " locations hold a backup named " + idOrName + "; name the location");
      }
      return found.get(0);
    }
  }

  public Backup backup(UUID id) {
    return store.backup(id).orElseThrow(() -> new NotFound("no backup " + id));
  }

  public Restore restoreOf(UUID id) {
    return store.restore(id).orElseThrow(() -> new NotFound("no restore " + id));
  }

  public List<Backup> ofCluster(UUID clusterId, int limit) {
    return store.backupsOfCluster(clusterId, limit);
  }

  public List<Backup> ofLocation(UUID locationId, int limit) {
    locations.get(locationId);
    return store.backupsOfLocation(locationId, limit);
  }

  public List<Restore> restoresOfCluster(UUID clusterId, int limit) {
    return store.restoresOfCluster(clusterId, limit);
  }
}
