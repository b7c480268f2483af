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
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Publishes committed outbox rows to Kafka.
 *
 * <p>One leader: one instance at a time relays, the one holding a PostgreSQL advisory lock on its
 * lock connection. Claiming rows from several instances would let two of them publish two events of
 * one aggregate out of order (docs/adr/0002-outbox-relay-leader-and-ordering.md).
 *
 * <p>Fenced: every read of rows to send and every mark of rows sent goes through the lock
 * connection itself. If that session is terminated, or the connection goes half-open, the next
 * statement fails (within {@code leaderNetworkTimeout}) and the relay stops leading at once: it
 * abandons what it has in flight and sends nothing it read afterwards. A standby that took the lock
 * meanwhile sends the same unmarked rows again, and consumers deduplicate them.
 *
 * <p>Pipelined: up to {@code maxInFlight} batches are on their way at once. While the broker
 * acknowledges one, the next is read and handed to the producer, which writes them in order per
 * partition. Acknowledged batches are marked together in one statement, committed asynchronously: a
 * mark lost in a crash only means the rows are sent again.
 *
 * <p>Latency: an append in this process wakes the relay in memory after commit; others notify it
 * through {@code NOTIFY easel_outbox}. The wait also times out as a safety net.
 */
public final class OutboxRelay implements SmartLifecycle, RelayWakeup {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final TypeReference<Map<String, String>> EXTENSIONS = new TypeReference<>() {};
  private static final long WAKE_SLICE_MILLIS = 5;
  private static final Executor DIRECT = Runnable::run;

  private static final String SELECT_BATCH =
      "SELECT seq, id, topic, msg_key, type, source, subject, occurred_at, extensions::text,"
          + " payload::text FROM easel.outbox WHERE published_at IS NULL"
          + " AND NOT (seq = ANY (?)) ORDER BY seq LIMIT ?";

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
  private final Semaphore wakeups = new Semaphore(0);
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
    this.lockKey = lockKey(serviceName);
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

  /** The advisory lock a service's relays compete for. */
  public static long lockKey(String serviceName) {
    return ("easel-outbox-relay:" + serviceName).hashCode();
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

  @Override
  public void wake() {
    wakeups.release();
  }

  private void run() {
    while (running) {
      try (Connection lock = dataSource.getConnection()) {
        lock.setAutoCommit(true);
        if (!tryLock(lock)) {
          sleep(settings.standbyPoll());
          continue;
        }
        try {
          lead(lock);
        } finally {
          release(lock);
        }
      } catch (SQLException e) {
        if (running) {
          log.warn("outbox relay lost its lock connection and stops leading: {}", e.toString());
          sleep(settings.initialBackoff());
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

  private void lead(Connection lock) throws SQLException {
    // A half-open connection must fail a statement, not hang it: the lead ends, and the lock has
    // likely passed to a standby already.
    lock.setNetworkTimeout(DIRECT, (int) settings.leaderNetworkTimeout().toMillis());
    try (Statement s = lock.createStatement()) {
      s.execute("LISTEN easel_outbox");
      // Marks need not wait for the disk: a mark lost in a crash only means a row is sent again.
      s.execute("SET synchronous_commit = off");
    }
    leader = true;
    log.info("outbox relay is the leader");
    PGConnection notifications = lock.unwrap(PGConnection.class);
    Deque<OutboxSender.Flight> inFlight = new ArrayDeque<>();
    Duration backoff = settings.initialBackoff();
    while (running) {
      fill(lock, inFlight);
      if (inFlight.isEmpty()) {
        maintain();
        // Waiting also consumes notifications queued while draining, so one burst of commits
        // costs one extra empty read at most.
        awaitWork(notifications);
        continue;
      }
      OutboxSender.Flight head = inFlight.peek();
      if (!head.isDone()
          && inFlight.size() < settings.maxInFlight()
          && head.age().compareTo(settings.ackTimeout()) < 0) {
        // Room for another batch: wait for whichever comes first, new rows or the broker's
        // answer (the sender wakes the relay when a batch is answered).
        awaitWork(notifications);
        continue;
      }
      if (settle(lock, inFlight)) {
        backoff = settings.initialBackoff();
        continue;
      }
      // A batch failed: what was acknowledged is marked, the rest abandoned and sent again.
      inFlight.clear();
      closeSender();
      sleep(backoff);
      backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    }
  }

  /** Reads and sends batches until {@code maxInFlight} are on their way or nothing is left. */
  private void fill(Connection lock, Deque<OutboxSender.Flight> inFlight) throws SQLException {
    while (inFlight.size() < settings.maxInFlight()) {
      List<OutboxRecord> batch = select(lock, inFlight);
      if (batch.isEmpty()) {
        return;
      }
      if (sender == null) {
        sender = senderFactory.get();
      }
      inFlight.add(sender.send(batch, this::wake));
      if (batch.size() < settings.batchSize()) {
        return;
      }
    }
  }

  /**
   * Waits for the oldest batch, then marks it and every later batch already acknowledged in full,
   * in one statement.
   *
   * @return false when a batch was not acknowledged in full
   */
  private boolean settle(Connection lock, Deque<OutboxSender.Flight> inFlight) throws SQLException {
    long started = System.nanoTime();
    List<Long> done = new ArrayList<>();
    List<Timestamp> at = new ArrayList<>();
    boolean ok = true;
    do {
      OutboxSender.Flight head = inFlight.peek();
      int acked = head.awaitAcknowledged(settings.ackTimeout());
      List<OutboxRecord> records = head.records();
      Timestamp now = Timestamp.from(Instant.now());
      for (int i = 0; i < acked; i++) {
        done.add(records.get(i).seq());
        Instant when = head.acknowledgedAt(i);
        at.add(when == null ? now : Timestamp.from(when));
      }
      if (acked < records.size()) {
        ok = false;
        break;
      }
      inFlight.poll();
    } while (!inFlight.isEmpty() && inFlight.peek().isDone());
    if (!done.isEmpty()) {
      mark(lock, done, at);
      published.increment(done.size());
    }
    batchTimer.record(Duration.ofNanos(System.nanoTime() - started));
    return ok;
  }

  private List<OutboxRecord> select(Connection lock, Deque<OutboxSender.Flight> inFlight)
      throws SQLException {
    List<Long> sending = new ArrayList<>();
    for (OutboxSender.Flight f : inFlight) {
      f.records().forEach(r -> sending.add(r.seq()));
    }
    try (PreparedStatement ps = lock.prepareStatement(SELECT_BATCH)) {
      ps.setArray(1, lock.createArrayOf("bigint", sending.toArray()));
      ps.setInt(2, settings.batchSize());
      List<OutboxRecord> batch = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          batch.add(toRecord(rs));
        }
      }
      return batch;
    }
  }

  /** Marks rows published at the time the broker acknowledged each. */
  private void mark(Connection lock, List<Long> seqs, List<Timestamp> at) throws SQLException {
    try (PreparedStatement ps =
        lock.prepareStatement(
            "UPDATE easel.outbox o SET published_at = v.t"
                + " FROM unnest(?::bigint[], ?::timestamptz[]) AS v(seq, t) WHERE o.seq = v.seq")) {
      ps.setArray(1, lock.createArrayOf("bigint", seqs.toArray()));
      ps.setArray(2, lock.createArrayOf("timestamptz", at.toArray()));
      ps.executeUpdate();
    }
  }

  private void awaitWork(PGConnection listen) throws SQLException {
    long deadline = System.nanoTime() + settings.safetyPoll().toNanos();
    while (running && System.nanoTime() < deadline) {
      try {
        if (wakeups.tryAcquire(WAKE_SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
          wakeups.drainPermits();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // Reads only what already arrived on the socket; it never blocks.
      PGNotification[] notes = listen.getNotifications();
      if (notes != null && notes.length > 0) {
        return;
      }
    }
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
              Timestamp oldest = rs.getTimestamp(2);
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
   * The lock connection may go back to a pool rather than close, so the session's lock,
   * subscription and settings are dropped by hand; otherwise a stopped relay would keep the lock.
   */
  private void release(Connection lock) {
    leader = false;
    try (Statement s = lock.createStatement()) {
      s.execute("UNLISTEN *");
      s.execute("SELECT pg_advisory_unlock_all()");
      s.execute("RESET synchronous_commit");
      lock.setNetworkTimeout(DIRECT, 0);
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
}
