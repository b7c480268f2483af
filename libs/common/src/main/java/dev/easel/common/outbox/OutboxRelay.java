package dev.easel.common.outbox;

import dev.easel.common.envelope.Envelope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Publishes committed outbox rows to Kafka.
 *
 * <p>Ordering across instances: one instance at a time relays, chosen by a PostgreSQL advisory lock
 * held on its listening connection. Claiming rows with {@code FOR UPDATE SKIP LOCKED} from several
 * instances would let two of them publish two events of one aggregate out of order; a single
 * relayer keeps per-key order, and the lock passes to a standby within a second when the holder's
 * connection dies. See docs/adr/0002-outbox-relay.md.
 *
 * <p>Latency: inserts fire {@code NOTIFY easel_outbox} through a statement trigger, delivered on
 * commit, and the relay waits on it; the wait also times out periodically as a safety net against a
 * lost notification.
 */
public final class OutboxRelay implements SmartLifecycle, RelayWakeup {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final TypeReference<Map<String, String>> EXTENSIONS = new TypeReference<>() {};
  private static final long WAKE_SLICE_MILLIS = 5;

  private static final String SELECT_BATCH =
      "SELECT seq, id, topic, msg_key, type, source, subject, occurred_at, extensions::text,"
          + " payload::text FROM easel.outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?";

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final Supplier<OutboxSender> senderFactory;
  private final OutboxRelaySettings settings;
  private final long lockKey;

  private final AtomicLong unpublished = new AtomicLong();
  private final AtomicLong oldestAgeMillis = new AtomicLong();
  private final Counter published;
  private final Timer batchTimer;

  private volatile boolean running;
  private volatile boolean leader;
  private final java.util.concurrent.Semaphore wakeups = new java.util.concurrent.Semaphore(0);
  private Thread thread;
  private OutboxSender sender;
  private Instant nextCleanup = Instant.EPOCH;
  private volatile Instant nextGaugeRefresh = Instant.EPOCH;

  public OutboxRelay(
      DataSource dataSource,
      ObjectMapper json,
      Supplier<OutboxSender> senderFactory,
      OutboxRelaySettings settings,
      String serviceName,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.jdbc = new JdbcTemplate(dataSource);
    this.json = json;
    this.senderFactory = senderFactory;
    this.settings = settings;
    this.lockKey = ("easel-outbox-relay:" + serviceName).hashCode();
    this.published = Counter.builder("easel.outbox.published").register(meters);
    this.batchTimer = Timer.builder("easel.outbox.batch").register(meters);
    // Gauges read the table when scraped (at most once per refresh interval), not from the relay
    // thread, so they keep telling the truth while the relay is stuck on a broker outage.
    Gauge.builder("easel.outbox.unpublished", this, r -> r.refreshGauges().unpublished.get())
        .description("outbox rows not yet acknowledged by the broker")
        .register(meters);
    Gauge.builder(
            "easel.outbox.oldest.age", this, r -> r.refreshGauges().oldestAgeMillis.get() / 1000.0)
        .description("age in seconds of the oldest unpublished outbox row")
        .baseUnit("seconds")
        .register(meters);
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "easel-outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stop after the consumers, start before them: replies sent at shutdown still leave. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2048;
  }

  /** Whether this instance holds the relay lock now. */
  @Override
  public boolean isLeader() {
    return leader;
  }

  public long unpublishedCount() {
    return refreshGauges().unpublished.get();
  }

  private void run() {
    while (running) {
      try (Connection listen = dataSource.getConnection()) {
        listen.setAutoCommit(true);
        if (!tryLock(listen)) {
          sleep(settings.standbyPoll());
          continue;
        }
        leader = true;
        log.info("outbox relay is the leader");
        try (Statement s = listen.createStatement()) {
          s.execute("LISTEN easel_outbox");
        }
        try {
          relayWhileLeader(listen.unwrap(PGConnection.class));
        } finally {
          release(listen);
        }
      } catch (SQLException e) {
        if (running) {
          log.warn("outbox relay lost its database connection: {}", e.toString());
          sleep(settings.maxBackoff());
        }
      } catch (RuntimeException e) {
        if (running) {
          log.error("outbox relay failed; restarting it", e);
          sleep(settings.maxBackoff());
        }
      } finally {
        leader = false;
        closeSender();
      }
    }
  }

  private void relayWhileLeader(PGConnection listen) throws SQLException {
    Duration backoff = settings.initialBackoff();
    while (running) {
      DrainResult result = drainOnce();
      maintain();
      if (result.failed()) {
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
        continue;
      }
      backoff = settings.initialBackoff();
      if (result.sent() < settings.batchSize()) {
        // Waiting also consumes notifications queued while draining, so one burst of commits
        // costs one extra empty drain at most.
        awaitWork(listen);
      }
    }
  }

  private void awaitWork(PGConnection listen) throws SQLException {
    long deadline = System.nanoTime() + settings.safetyPoll().toNanos();
    while (running && System.nanoTime() < deadline) {
      try {
        if (wakeups.tryAcquire(WAKE_SLICE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          wakeups.drainPermits();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // Reads only what already arrived on the socket; it never blocks.
      org.postgresql.PGNotification[] notes = listen.getNotifications();
      if (notes != null && notes.length > 0) {
        return;
      }
    }
  }

  @Override
  public void wake() {
    wakeups.release();
  }

  /** Sends one batch; visible for the crash tests, which drive the relay step by step. */
  DrainResult drainOnce() {
    List<OutboxRecord> batch =
        jdbc.query(SELECT_BATCH, (rs, i) -> toRecord(rs), settings.batchSize());
    if (batch.isEmpty()) {
      return new DrainResult(0, false);
    }
    if (sender == null) {
      sender = senderFactory.get();
    }
    long started = System.nanoTime();
    int acknowledged;
    try {
      acknowledged = sender.send(batch);
    } catch (RuntimeException e) {
      log.warn("outbox sender failed mid-batch: {}", e.toString());
      closeSender();
      return new DrainResult(0, true);
    }
    if (acknowledged > 0) {
      markPublished(batch.subList(0, acknowledged));
      published.increment(acknowledged);
    }
    batchTimer.record(Duration.ofNanos(System.nanoTime() - started));
    return new DrainResult(acknowledged, acknowledged < batch.size());
  }

  private void markPublished(List<OutboxRecord> records) {
    Long[] seqs = records.stream().map(OutboxRecord::seq).toArray(Long[]::new);
    // A mark lost in a crash only means the rows are sent again, and consumers deduplicate, so
    // the relay need not wait for the mark to reach disk before it sends the next batch.
    jdbc.execute(
        (Connection c) -> {
          boolean autoCommit = c.getAutoCommit();
          c.setAutoCommit(false);
          try (Statement async = c.createStatement();
              PreparedStatement ps =
                  c.prepareStatement(
                      "UPDATE easel.outbox SET published_at = now() WHERE seq = ANY (?)")) {
            async.execute("SET LOCAL synchronous_commit = off");
            ps.setArray(1, c.createArrayOf("bigint", seqs));
            int updated = ps.executeUpdate();
            c.commit();
            return updated;
          } catch (SQLException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(autoCommit);
          }
        });
  }

  private synchronized OutboxRelay refreshGauges() {
    Instant now = Instant.now();
    if (now.isAfter(nextGaugeRefresh)) {
      nextGaugeRefresh = now.plus(settings.gaugeRefresh());
      try {
        jdbc.query(
            "SELECT count(*), min(occurred_at) FROM easel.outbox WHERE published_at IS NULL",
            rs -> {
              unpublished.set(rs.getLong(1));
              java.sql.Timestamp oldest = rs.getTimestamp(2);
              oldestAgeMillis.set(
                  oldest == null ? 0 : Math.max(0, now.toEpochMilli() - oldest.getTime()));
            });
      } catch (RuntimeException e) {
        log.debug("outbox gauges could not be refreshed", e);
      }
    }
    return this;
  }

  private void maintain() {
    Instant now = Instant.now();
    if (now.isAfter(nextCleanup)) {
      nextCleanup = now.plus(settings.cleanupInterval());
      int deleted =
          jdbc.update(
              "DELETE FROM easel.outbox WHERE seq IN (SELECT seq FROM easel.outbox"
                  + " WHERE published_at < now() - make_interval(secs => ?) LIMIT 10000)",
              (double) settings.retention().toSeconds());
      if (deleted > 0) {
        log.debug("removed {} published outbox rows", deleted);
      }
    }
  }

  private OutboxRecord toRecord(ResultSet rs) throws SQLException {
    Map<String, String> ext = json.readValue(rs.getString(9), EXTENSIONS);
    Envelope envelope =
        new Envelope(
            rs.getObject(2).toString(),
            rs.getString(5),
            rs.getString(6),
            rs.getString(7),
            rs.getTimestamp(8).toInstant(),
            ext.get("correlationid"),
            ext.get("causationid"),
            ext.get("sagaid"),
            ext.get("actor"),
            ext.get("traceparent"),
            ext.get("requestid"),
            ext.get("replyto"));
    return new OutboxRecord(
        rs.getLong(1),
        rs.getString(3),
        rs.getString(4),
        envelope,
        rs.getString(10).getBytes(StandardCharsets.UTF_8));
  }

  private boolean tryLock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, lockKey);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * The listening connection may go back to a pool rather than close, so the session's lock and
   * subscription are dropped by hand; otherwise a stopped relay would keep the lock.
   */
  private void release(Connection listen) {
    leader = false;
    try (Statement s = listen.createStatement()) {
      s.execute("UNLISTEN *");
      s.execute("SELECT pg_advisory_unlock_all()");
    } catch (SQLException e) {
      log.debug("could not release the relay lock; the connection will drop it", e);
    }
  }

  private void closeSender() {
    if (sender != null) {
      try {
        sender.close();
      } catch (RuntimeException e) {
        log.debug("closing the outbox sender failed", e);
      }
      sender = null;
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** What one drain did. */
  record DrainResult(int sent, boolean failed) {}
}
