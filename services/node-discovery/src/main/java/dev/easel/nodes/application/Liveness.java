package dev.easel.nodes.application;

import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.Topics;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.nodes.application.RequestRefused.Kind;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Heartbeats and the liveness they prove.
 *
 * <p>A heartbeat is checked against the node's credential and then only noted in memory; a flusher
 * writes all noted heartbeats once a second in one statement, the hot path's batch. A node that
 * comes back from unreachable is recovered, with an event, in that same transaction.
 *
 * <p>A sweeper declares nodes unreachable after the window (40 s by default, as Kubernetes node
 * leases do). It runs under a transaction-scoped advisory lock, so one instance sweeps at a time.
 */
@Service
public class Liveness implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Liveness.class);
  private static final long SWEEP_LOCK = "easel-nodes-liveness-sweep".hashCode();

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final Outbox outbox;
  private final Clock clock;
  private final Duration unreachableAfter;
  private final Duration flushInterval;
  private final Duration credentialCache;
  private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, CachedCredential> credentials = new ConcurrentHashMap<>();
  private ScheduledExecutorService executor;

  /** A credential hash known to belong to a node, until {@code until}. */
  private record CachedCredential(UUID nodeId, Instant until) {}

  /** A heartbeat not yet written, with the credential it came with. */
  private record Pending(Instant at, String credential) {}

  public Liveness(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      Outbox outbox,
      Clock clock,
      @Value("${easel.nodes.unreachable-after:40s}") Duration unreachableAfter,
      @Value("${easel.nodes.heartbeat-flush:1s}") Duration flushInterval,
      @Value("${easel.nodes.credential-cache:60s}") Duration credentialCache) {
    this.credentialCache = credentialCache;
    this.jdbc = jdbc;
    this.tx = tx;
    this.outbox = outbox;
    this.clock = clock;
    this.unreachableAfter = unreachableAfter;
    this.flushInterval = flushInterval;
  }

  /**
   * Records a heartbeat from the node holding this credential, for the node it names.
   *
   * @throws RequestRefused 401 for an unknown credential, 403 for another node's
   */
  public void heartbeat(UUID nodeId, String credential) {
    authorize(nodeId, credential);
    pending.put(nodeId, new Pending(clock.instant(), credential));
  }

  /**
   * Checks that the credential is the named node's own.
   *
   * @throws RequestRefused 401 for an unknown credential, 403 for another node's
   */
  public void authorize(UUID nodeId, String credential) {
    if (!ownerOf(credential).equals(nodeId)) {
      throw new RequestRefused(
          Kind.FORBIDDEN, "forbidden", "a node credential may act only on its own node");
    }
  }

  /**
   * Checks the credential against the database, never the cache: for calls that change something
   * (step results, inventory).
   *
   * @throws RequestRefused 401 for an unknown credential, 403 for another node's
   */
  public void authorizeStrictly(UUID nodeId, String credential) {
    if (credential != null) {
      credentials.remove(credential);
    }
    authorize(nodeId, credential);
  }

  /** Drops what this instance cached for a node whose credential was replaced or dropped. */
  public void forget(UUID nodeId) {
    credentials.values().removeIf(c -> c.nodeId().equals(nodeId));
  }

  /**
   * The node a credential belongs to, cached for {@code easel.nodes.credential-cache} (60 s),
   * longer than the heartbeat interval, so a steady heartbeat costs no query. A credential replaced
   * on another instance still passes the cache, but its heartbeats are checked again when they are
   * written: they do not count, and the credential is dropped from the cache, so its next call is
   * refused.
   */
  UUID ownerOf(String credential) {
    if (credential == null || credential.isBlank()) {
      throw new RequestRefused(Kind.UNAUTHORIZED, "unauthorized", "a node credential is required");
    }
    Instant now = clock.instant();
    CachedCredential cached = credentials.get(credential);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.nodeId();
    }
    List<UUID> ids =
        jdbc.query(
            "SELECT id FROM nodes WHERE credential_hash = ? AND lifecycle <> 'DECOMMISSIONED'",
            (rs, i) -> rs.getObject(1, UUID.class),
            Secrets.hash(credential));
    if (ids.isEmpty()) {
      credentials.remove(credential);
      throw new RequestRefused(
          Kind.UNAUTHORIZED, "unauthorized", "the node credential is not valid");
    }
    if (credentials.size() > 100_000) {
      credentials.clear();
    }
    credentials.put(credential, new CachedCredential(ids.get(0), now.plus(credentialCache)));
    return ids.get(0);
  }

  /** Writes noted heartbeats; recovers unreachable nodes among them. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<Object[]> batch = new ArrayList<>();
    Map<UUID, String> sentWith = new HashMap<>();
    for (UUID id : List.copyOf(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) {
        batch.add(new Object[] {id, Timestamp.from(p.at()), Secrets.hash(p.credential())});
        sentWith.put(id, p.credential());
      }
    }
    // Bind parameters stay well under PostgreSQL's 65,535 at any heartbeat rate.
    for (int from = 0; from < batch.size(); from += FLUSH_CHUNK) {
      write(batch.subList(from, Math.min(batch.size(), from + FLUSH_CHUNK)), sentWith);
    }
  }

  private static final int FLUSH_CHUNK = 2_000;

  private void write(List<Object[]> batch, Map<UUID, String> sentWith) {
    tx.executeWithoutResult(
        s -> {
          StringBuilder values = new StringBuilder();
          List<Object> args = new ArrayList<>();
          for (Object[] row : batch) {
            values
                .append(values.length() == 0 ? "" : ",")
                .append("(?::uuid, ?::timestamptz, ?::bytea)");
            args.add(row[0]);
            args.add(row[1]);
            args.add(row[2]);
          }
          Map<UUID, Boolean> written = new HashMap<>();
          jdbc.query(
              "WITH v(id, t, h) AS (VALUES "
                  + values
                  + "),"
                  + " old AS (SELECT n.id, n.reachable FROM nodes n JOIN v ON n.id = v.id"
                  + " AND n.credential_hash = v.h"
                  + " WHERE n.lifecycle <> 'DECOMMISSIONED' ORDER BY n.id FOR UPDATE OF n)"
                  + " UPDATE nodes n SET last_heartbeat_at = greatest(n.last_heartbeat_at, v.t),"
                  + " reachable = true,"
                  + " version = n.version + CASE WHEN old.reachable THEN 0 ELSE 1 END"
                  + " FROM v, old WHERE n.id = v.id AND old.id = n.id"
                  + " RETURNING n.id, old.reachable",
              (org.springframework.jdbc.core.RowCallbackHandler)
                  rs -> written.put(rs.getObject(1, UUID.class), rs.getBoolean(2)),
              args.toArray());
          Instant now = clock.instant();
          for (Map.Entry<UUID, Boolean> w : written.entrySet()) {
            if (!w.getValue()) {
              UUID id = w.getKey();
              outbox.append(
                  OutboundMessage.of(
                      Topics.events("nodes"), id.toString(), new NodeRecovered(id, now)));
            }
          }
          for (Object[] row : batch) {
            if (!written.containsKey((UUID) row[0])) {
              credentials.remove(sentWith.get((UUID) row[0])); // replaced or dropped meanwhile
            }
          }
        });
  }

  /** Declares silent nodes unreachable, on one instance at a time. */
  public int sweep() {
    Integer n =
        tx.execute(
            s -> {
              Boolean locked =
                  jdbc.queryForObject(
                      "SELECT pg_try_advisory_xact_lock(?)", Boolean.class, SWEEP_LOCK);
              if (!Boolean.TRUE.equals(locked)) {
                return 0;
              }
              Instant now = clock.instant();
              Timestamp cutoff = Timestamp.from(now.minus(unreachableAfter));
              List<Object[]> lost =
                  jdbc.query(
                      "UPDATE nodes SET reachable = false, version = version + 1, updated_at = ?"
                          + " WHERE reachable AND lifecycle <> 'DECOMMISSIONED'"
                          + " AND last_heartbeat_at < ? RETURNING id, last_heartbeat_at",
                      (rs, i) ->
                          new Object[] {
                            rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()
                          },
                      Timestamp.from(now),
                      cutoff);
              for (Object[] row : lost) {
                UUID id = (UUID) row[0];
                outbox.append(
                    OutboundMessage.of(
                        Topics.events("nodes"),
                        id.toString(),
                        new NodeBecameUnreachable(id, (Instant) row[1], now)));
              }
              return lost.size();
            });
    return n == null ? 0 : n;
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
        () -> safely(this::flush), flushMs, flushMs, TimeUnit.MILLISECONDS);
    // Every second at most: a silent node is declared within a second of its window.
    long sweepMs = Math.max(200, Math.min(1_000, unreachableAfter.toMillis() / 8));
    executor.scheduleWithFixedDelay(
        () -> safely(this::sweep), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
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
      safely(this::flush);
    }
  }

  @Override
  public boolean isRunning() {
    return executor != null;
  }
}
