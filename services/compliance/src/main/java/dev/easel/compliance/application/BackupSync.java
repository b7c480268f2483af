package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.BackupStore;
import dev.easel.compliance.application.port.ObjectStores;
import dev.easel.compliance.application.port.VeleroReader;
import dev.easel.compliance.domain.backup.Backup;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.BackupSpec;
import dev.easel.compliance.domain.backup.BackupState;
import dev.easel.compliance.domain.backup.ClusterResources;
import dev.easel.compliance.domain.backup.VeleroStatus;
import dev.easel.contracts.compliance.BackupDiscovered;
import dev.easel.contracts.compliance.BackupRemoved;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads each location's backups from its bucket, in Velero's layout ({@code
 * <prefix>/backups/<name>/velero-backup.json}), as Velero's own sync does: the folders under {@code
 * backups/} are listed (not every file in them), and what is in the bucket is the truth. A backup
 * made outside Easel, or by another appliance, is added, and read again while it was still being
 * written; a finished one no longer there is removed. Only those files are read, by several threads
 * at once.
 */
@Component
public class BackupSync {

  private static final Logger log = LoggerFactory.getLogger(BackupSync.class);

  static final String METADATA = "velero-backup.json";

  /** The label Easel gives its backups: the backup's id in Easel. */
  static final String BACKUP_ID = "easel.dev/backup-id";

  /** A velero-backup.json larger than this is not a backup's metadata. */
  static final long MAX_METADATA = 1024 * 1024;

  /** What one sync did. */
  public record Result(int listed, int read, int added, int updated, int removed, int unreadable) {}

  private final BackupStore store;
  private final BackupLocations locations;
  private final ObjectStores objectStores;
  private final VeleroReader velero;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final int threads;

  public BackupSync(
      BackupStore store,
      BackupLocations locations,
      ObjectStores objectStores,
      VeleroReader velero,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      @Value("${easel.compliance.backups.sync-threads:16}") int threads) {
    this.store = store;
    this.locations = locations;
    this.objectStores = objectStores;
    this.velero = velero;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
    this.threads = threads;
  }

  /** Syncs every location; one that fails is logged and the rest go on. */
  public int syncAll() {
    int n = 0;
    for (BackupLocation l : store.locations()) {
      try {
        sync(l.id());
        n++;
      } catch (RuntimeException e) {
        log.warn("backup location {} could not be synced: {}", l.name(), e.getMessage());
      }
    }
    return n;
  }

  /**
   * Syncs one location now.
   *
   * @throws ObjectStores.ObjectStoreException when its bucket cannot be listed; nothing changed
   */
  public Result sync(UUID locationId) {
    BackupLocation l = locations.get(locationId);
    String prefix = l.backupsKeyPrefix();
    Set<String> inBucket = new HashSet<>();
    Map<String, Backup> read = new HashMap<>();
    int unreadable = 0;
    Instant started = clock.instant();
    try (ObjectStores.ObjectStore os = objectStores.open(locations.access(l))) {
      os.listFolders(
          prefix,
          folder -> {
            String name = folder.substring(prefix.length(), folder.length() - 1);
            if (!name.isEmpty()) {
              inBucket.add(name);
            }
          });
      Map<String, BackupStore.Known> known = new HashMap<>();
      for (BackupStore.Known k : store.known(locationId)) {
        known.put(k.name(), k);
      }
      // Read: what Easel does not know, and what another Velero was still writing last time.
      List<String> toRead = new ArrayList<>();
      for (String name : inBucket) {
        BackupStore.Known k = known.get(name);
        if (k == null
            || Backup.FROM_BUCKET.equals(k.trigger())
                && !BackupState.valueOf(k.state()).finished()) {
          toRead.add(name);
        }
      }
      ExecutorService pool =
          Executors.newFixedThreadPool(Math.max(1, Math.min(threads, toRead.size())));
      try {
        List<Future<Optional<VeleroStatus>>> futures = new ArrayList<>();
        for (String name : toRead) {
          futures.add(
              pool.submit(
                  () -> os.read(prefix + name + "/" + METADATA, MAX_METADATA).map(velero::backup)));
        }
        Map<String, VeleroStatus> statuses = new HashMap<>();
        for (int i = 0; i < toRead.size(); i++) {
          String name = toRead.get(i);
          try {
            futures.get(i).get().ifPresent(v -> statuses.put(name, v));
          } catch (ExecutionException e) {
            unreadable++;
            log.warn(
                "backup {} in {} could not be read: {}", name, l.name(), e.getCause().getMessage());
          }
        }
        // The ids Easel's labels give, looked up at once: one already taken by another backup
        // (a copied bucket) is not reused.
        List<UUID> labelled = new ArrayList<>();
        statuses
            .values()
            .forEach(
                v -> Optional.ofNullable(uuid(v.labels().get(BACKUP_ID))).ifPresent(labelled::add));
        Map<UUID, String> taken = store.namesOf(labelled);
        statuses.forEach((name, v) -> read.put(name, fromBucket(l, name, v, taken, started)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while syncing " + l.name(), e);
      } finally {
        pool.shutdownNow();
      }
    }
    int badFiles = unreadable;
    return tx.execute(s -> apply(l, inBucket, read, badFiles, started));
  }

  /** Applies what the bucket holds, under the location's lock. */
  private Result apply(
      BackupLocation l,
      Set<String> inBucket,
      Map<String, Backup> read,
      int unreadable,
      Instant listed) {
    store.lockLocation(l.id());
    Instant now = clock.instant();
    Map<String, BackupStore.Known> known = new HashMap<>();
    for (BackupStore.Known k : store.known(l.id())) {
      known.put(k.name(), k);
    }
    List<Backup> added = new ArrayList<>();
    int updated = 0;
    for (Backup b : read.values()) {
      BackupStore.Known k = known.get(b.name());
      if (k == null) {
        added.add(b);
      } else {
        Backup current = store.lockBackup(k.id()).orElse(null);
        if (current == null) {
          continue;
        }
        store.updateBackup(merge(current, b));
        updated++;
      }
    }
    if (!added.isEmpty()) {
      store.insertBackups(added);
      for (Backup b : added) {
        outbox.publishEvent(
            b.id().toString(),
            new BackupDiscovered(b.id(), l.id(), b.name(), b.clusterId(), b.phase(), now));
      }
    }
    List<UUID> gone = new ArrayList<>();
    for (BackupStore.Known k : known.values()) {
      if (inBucket.contains(k.name())) {
        continue;
      }
      BackupState state = BackupState.valueOf(k.state());
      boolean ours = !Backup.FROM_BUCKET.equals(k.trigger());
      // An unfinished backup is not in the bucket yet, and a failed one of Easel's may never have
      // reached it; one that finished after the listing began may have reached it since.
      if (!state.finished()
          || (ours && state == BackupState.Failed)
          || (k.completedAt() != null && !k.completedAt().isBefore(listed))) {
        continue;
      }
      gone.add(k.id());
    }
    if (!gone.isEmpty()) {
      store.deleteBackups(gone);
      for (BackupStore.Known k : known.values()) {
        if (gone.contains(k.id())) {
          outbox.publishEvent(
              k.id().toString(), new BackupRemoved(k.id(), l.id(), k.name(), "gone", null, now));
        }
      }
    }
    store.synced(l.id(), now);
    return new Result(inBucket.size(), read.size(), added.size(), updated, gone.size(), unreadable);
  }

  private static Backup merge(Backup current, Backup fromBucket) {
    return new Backup(
        current.id(),
        current.clusterId() != null ? current.clusterId() : fromBucket.clusterId(),
        current.locationId(),
        current.name(),
        current.spec(),
        fromBucket.state(),
        fromBucket.phase(),
        fromBucket.itemsBackedUp(),
        fromBucket.totalItems(),
        fromBucket.errors(),
        fromBucket.warnings(),
        fromBucket.failureReason(),
        current.trigger(),
        current.actor(),
        current.createdAt(),
        fromBucket.startedAt() != null ? fromBucket.startedAt() : current.startedAt(),
        fromBucket.completedAt() != null ? fromBucket.completedAt() : current.completedAt(),
        fromBucket.expiresAt() != null ? fromBucket.expiresAt() : current.expiresAt(),
        fromBucket.etag(),
        current.statusReads());
  }

  /** A backup as the bucket describes it. */
  private static Backup fromBucket(
      BackupLocation l, String name, VeleroStatus s, Map<UUID, String> taken, Instant now) {
    UUID clusterId = uuid(s.labels().get("easel.dev/cluster-id"));
    UUID id = uuid(s.labels().get(BACKUP_ID));
    if (id == null || taken.containsKey(id) && !taken.get(id).equals(name)) {
      id = UUID.randomUUID();
    }
    BackupState st = s.state();
    Instant created = s.created() != null ? s.created() : now;
    long ttl =
        s.expiration() != null
            ? Math.max(1, Duration.between(created, s.expiration()).toHours())
            : BackupSpec.DEFAULT_TTL_HOURS;
    BackupSpec spec =
        new BackupSpec(
            s.includedNamespaces(),
            s.excludedNamespaces(),
            ClusterResources.ofVelero(s.includeClusterResources()),
            s.snapshotVolumes() == null || s.snapshotVolumes(),
            (int) Math.min(ttl, BackupSpec.MAX_TTL_HOURS));
    return new Backup(
        id,
        clusterId,
        l.id(),
        name,
        spec,
        st,
        s.phase(),
        s.done(),
        s.total(),
        s.errors(),
        s.warnings(),
        st == BackupState.Failed ? s.reason() : null,
        Backup.FROM_BUCKET,
        null,
        created,
        s.started(),
        s.completed(),
        s.expiration(),
        null,
        0);
  }

  private static UUID uuid(String s) {
    if (s == null) {
      return null;
    }
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
