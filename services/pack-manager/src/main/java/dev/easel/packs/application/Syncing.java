package dev.easel.packs.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.RegistrySynced;
import dev.easel.packs.application.port.Bundles;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.application.port.RegistryAccess;
import dev.easel.packs.application.port.RegistryStore;
import dev.easel.packs.domain.Registry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The catalogue sync of a registry. It lists the pack repositories under {@code
 * <base>/spectro-packs/archive/} (catalogue and tags, following the registry's pages), asks each
 * tag's digest with a {@code HEAD}, and fetches only the manifests whose digest it has not seen; a
 * second sync of an unchanged registry fetches no manifest. A pack's layer is any layer that is a
 * gzip tar holding a {@code pack.json}, whatever its media type.
 *
 * <p>One instance syncs a registry at a time (a lease in the registry's row). A repository whose
 * tags could not be listed keeps its packs: only what the registry positively no longer has is
 * removed.
 */
public class Syncing {

  private static final Logger log = LoggerFactory.getLogger(Syncing.class);
  private static final int MAX_ERRORS = 100;
  private static final int BATCH = 200;

  private final RegistryStore registries;
  private final CatalogueStore catalogue;
  private final Registries access;
  private final Bundles bundles;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final ObjectMapper json;
  private final ExecutorService workers;
  private final Duration lease;

  public Syncing(
      RegistryStore registries,
      CatalogueStore catalogue,
      Registries access,
      Bundles bundles,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      ObjectMapper json,
      ExecutorService workers,
      Duration lease) {
    this.registries = registries;
    this.catalogue = catalogue;
    this.access = access;
    this.bundles = bundles;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
    this.json = json;
    this.workers = workers;
    this.lease = lease;
  }

  /**
   * Syncs a registry unless another instance is syncing it.
   *
   * @return the finished sync's status, or empty when it did not run here
   */
  public Optional<Registry.SyncStatus> sync(UUID registryId) {
    Optional<Registry> found = registries.find(registryId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Registry r = found.get();
    Instant started = clock.instant();
    if (!registries.claimSync(registryId, started, started.plus(lease))) {
      return Optional.empty();
    }
    Run run = new Run(r, started);
    Registry.SyncStatus status;
    try {
      status = run.go();
    } catch (RuntimeException e) {
      log.warn("sync of registry {} failed", r.name(), e);
      run.error("sync failed: " + e.getMessage());
      status = run.status("FAILED");
    }
    Registry.SyncStatus done = status;
    tx.executeWithoutResult(
        s -> {
          registries.finishSync(
              registryId, done, done.finishedAt().plusSeconds(r.syncIntervalSeconds()));
          outbox.publishEvent(
              registryId.toString(),
              new RegistrySynced(
                  registryId,
                  r.name(),
                  done.state(),
                  run.total,
                  done.packsAdded(),
                  done.packsRemoved(),
                  done.errors(),
                  done.startedAt(),
                  done.finishedAt()));
        });
    log.info(
        "registry {} synced: {}, {} packs, {} added, {} removed, {} manifests fetched, {} errors",
        r.name(),
        done.state(),
        run.total,
        done.packsAdded(),
        done.packsRemoved(),
        done.manifestsFetched(),
        done.errors().size());
    return Optional.of(done);
  }

  /** One sync. */
  private final class Run {
    private final Registry registry;
    private final Instant started;
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger fetched = new AtomicInteger();
    private final List<CatalogueStore.Rejection> rejectedNow =
        Collections.synchronizedList(new ArrayList<>());
    private int added;
    private int removed;
    private int total;

    Run(Registry registry, Instant started) {
      this.registry = registry;
      this.started = started;
    }

    void error(String message) {
      synchronized (errors) {
        if (errors.size() < MAX_ERRORS) {
          errors.add(message);
        } else if (errors.size() == MAX_ERRORS) {
          errors.add("more errors were left out");
        }
      }
    }

    Registry.SyncStatus status(String state) {
      return new Registry.SyncStatus(
          state, started, clock.instant(), added, removed, fetched.get(), List.copyOf(errors));
    }

    Registry.SyncStatus go() {
      RegistryAccess.Connection c = access.connect(registry);
      String prefix = registry.packsPrefix();
      List<String> repositories;
      try {
        repositories = new ArrayList<>();
        for (String repo : c.catalog()) {
          if (repo.startsWith(prefix) && repo.indexOf('/', prefix.length()) < 0) {
            repositories.add(repo);
          }
        }
      } catch (IOException e) {
        error("could not list the registry's repositories: " + e.getMessage());
        return status("FAILED");
      }
      Map<String, String> known = catalogue.digests(registry.id());
      Map<String, CatalogueStore.Rejection> rejected = catalogue.rejections(registry.id());
      Set<String> stillRejected = ConcurrentHashMap.newKeySet();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      // Repositories whose listing failed: their packs stay in the catalogue.
      Set<String> unlisted = ConcurrentHashMap.newKeySet();
      List<CatalogueStore.Entry> found = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> tasks = new ArrayList<>();
      for (String repo : repositories) {
        String name = repo.substring(prefix.length());
        List<String> tags;
        try {
          tags = c.tags(repo);
        } catch (IOException e) {
          unlisted.add(name);
          error(repo + ": could not list its tags: " + e.getMessage());
          continue;
        }
        for (String tag : tags) {
          tasks.add(
              workers.submit(
                  () -> {
                    String key = name + ":" + tag;
                    try {
                      Optional<String> digest = c.manifestDigest(repo, tag);
                      if (digest.isEmpty()) {
                        return;
                      }
                      if (digest.get().equals(known.get(key))) {
                        seen.add(key);
                        return;
                      }
                      CatalogueStore.Rejection before = rejected.get(key);
                      if (before != null && before.digest().equals(digest.get())) {
                        // Read before and refused; unchanged, so not fetched again.
                        stillRejected.add(key);
                        error(repo + ":" + tag + ": " + before.reason());
                        return;
                      }
                      Optional<CatalogueStore.Entry> entry = read(c, repo, name, tag, digest.get());
                      if (entry.isPresent()) {
                        seen.add(key);
                        found.add(entry.get());
                      }
                    } catch (IOException | RuntimeException e) {
                      // Unreadable now: keep what the catalogue had for it.
                      seen.add(key);
                      error(repo + ":" + tag + ": " + e.getMessage());
                    }
                  }));
        }
      }
      for (Future<?> f : tasks) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
          error(String.valueOf(e.getCause()));
        }
      }
      store(found);
      Set<String> forget = new HashSet<>(rejected.keySet());
      forget.removeAll(stillRejected);
      for (CatalogueStore.Rejection r : rejectedNow) {
        forget.remove(r.key());
      }
      tx.executeWithoutResult(
          s -> {
            catalogue.reject(registry.id(), rejectedNow, clock.instant());
            catalogue.forgetRejections(registry.id(), forget);
          });
      Set<String> gone = new HashSet<>();
      for (String key : known.keySet()) {
        String name = key.substring(0, key.indexOf(':'));
        if (!seen.contains(key) && !unlisted.contains(name)) {
          gone.add(key);
        }
      }
      remove(gone, known);
      total = catalogue.digests(registry.id()).size();
      return status("SUCCEEDED");
    }

    /** The pack in a manifest, or empty (with an error) when it holds none or a wrong one. */
    private Optional<CatalogueStore.Entry> read(
        RegistryAccess.Connection c, String repo, String name, String tag, String digest)
        throws IOException {
      Optional<RegistryAccess.Manifest> m = c.manifest(repo, digest);
      fetched.incrementAndGet();
      if (m.isEmpty()) {
        return Optional.empty();
      }
      JsonNode manifest = json.readTree(m.get().content());
      JsonNode layers = manifest.get("layers");
      if (layers == null || !layers.isArray() || layers.isEmpty()) {
        return reject(repo, name, tag, digest, "not a pack artifact: its manifest has no layers");
      }
      List<String> refusals = new ArrayList<>();
      for (JsonNode layer : layers) {
        String layerDigest = layer.path("digest").asString("");
        long size = layer.path("size").asLong(-1);
        if (layerDigest.isEmpty() || size > MAX_PACK_LAYER) {
          continue;
        }
        Optional<Bundles.PackFiles> pack = readLayer(c, repo, layerDigest, refusals);
        if (pack.isEmpty()) {
          continue;
        }
        Bundles.PackFiles p = pack.get();
        if (!p.manifest().name().equals(name) || !p.manifest().version().equals(tag)) {
          return reject(
              repo,
              name,
              tag,
              digest,
              "its pack.json says "
                  + p.manifest().name()
                  + " "
                  + p.manifest().version()
                  + "; a pack lives at spectro-packs/archive/<name>:<version>");
        }
        return Optional.of(
            new CatalogueStore.Entry(
                registry.id(),
                repo,
                digest,
                layerDigest,
                p.manifest(),
                p.packJson(),
                p.valuesYaml(),
                p.schemaYaml(),
                p.presetsYaml(),
                p.readme(),
                p.hasLogo(),
                clock.instant()));
      }
      return reject(
          repo,
          name,
          tag,
          digest,
          "no layer is a gzip tar holding a valid pack.json"
              + (refusals.isEmpty() ? "" : ": " + String.join("; ", refusals)));
    }

    private Optional<CatalogueStore.Entry> reject(
        String repo, String name, String tag, String digest, String reason) {
      error(repo + ":" + tag + ": " + reason);
      rejectedNow.add(new CatalogueStore.Rejection(name + ":" + tag, digest, reason));
      return Optional.empty();
    }

    private Optional<Bundles.PackFiles> readLayer(
        RegistryAccess.Connection c, String repo, String layerDigest, List<String> refusals)
        throws IOException {
      try (InputStream in = new BufferedInputStream(c.blob(repo, layerDigest), 65536)) {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 != 0x1f || b2 != 0x8b) {
          return Optional.empty(); // not gzip
        }
        return Optional.of(bundles.readPackArchive(in));
      } catch (Bundles.Refused e) {
        refusals.add(layerDigest + ": " + String.join("; ", e.problems()));
        return Optional.empty();
      }
    }

    private void store(List<CatalogueStore.Entry> found) {
      Map<String, String> before = catalogue.digests(registry.id());
      for (int from = 0; from < found.size(); from += BATCH) {
        List<CatalogueStore.Entry> chunk =
            found.subList(from, Math.min(found.size(), from + BATCH));
        tx.executeWithoutResult(
            s -> {
              catalogue.upsert(chunk);
              for (CatalogueStore.Entry e : chunk) {
                outbox.publishEvent(
                    registry.id().toString(),
                    new PackAdded(
                        registry.id(),
                        registry.name(),
                        e.manifest().name(),
                        e.manifest().version(),
                        e.digest(),
                        e.manifest().layer(),
                        e.manifest().cloudTypes(),
                        e.repository(),
                        e.valuesYaml(),
                        e.addedAt()));
              }
            });
        for (CatalogueStore.Entry e : chunk) {
          if (!before.containsKey(e.manifest().name() + ":" + e.manifest().version())) {
            added++;
          }
        }
      }
    }

    private void remove(Set<String> gone, Map<String, String> known) {
      List<String> keys = new ArrayList<>(gone);
      Instant now = clock.instant();
      Map<String, String> layers = new java.util.HashMap<>();
      for (CatalogueStore.Summary s :
          keys.isEmpty()
              ? List.<CatalogueStore.Summary>of()
              : catalogue.ofRegistry(registry.id())) {
        layers.put(s.name() + ":" + s.version(), s.layer());
      }
      for (int from = 0; from < keys.size(); from += BATCH) {
        List<String> chunk = keys.subList(from, Math.min(keys.size(), from + BATCH));
        tx.executeWithoutResult(
            s -> {
              catalogue.remove(registry.id(), chunk);
              for (String key : chunk) {
                int at = key.indexOf(':');
                outbox.publishEvent(
                    registry.id().toString(),
                    new PackRemoved(
                        registry.id(),
                        registry.name(),
                        key.substring(0, at),
                        key.substring(at + 1),
                        known.get(key),
                        layers.get(key),
                        now));
              }
            });
        removed += chunk.size();
      }
    }
  }

  /** A pack layer larger than this is not read by a sync (a pack with vendored charts is MBs). */
  static final long MAX_PACK_LAYER = 512L << 20;
}
