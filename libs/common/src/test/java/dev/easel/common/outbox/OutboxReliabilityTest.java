package dev.easel.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.easel.common.support.Backbone;
import dev.easel.common.support.LedgerConsumer;
import dev.easel.common.support.TestContracts.EntryRecorded;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.InfrastructureExtension;
import dev.easel.testing.KraftBroker;
import dev.easel.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The outbox against a real broker and a real PostgreSQL: nothing lost, order per key kept. */
@ExtendWith(InfrastructureExtension.class)
class OutboxReliabilityTest {

  private static Backbone backbone;
  private static JdbcOutbox outbox;

  @BeforeAll
  static void setUp(TestDatabase db) {
    backbone = new Backbone(db);
    outbox = backbone.outbox("ledger");
  }

  @AfterAll
  static void tearDown() {
    backbone.close();
  }

  @BeforeEach
  void emptyTables() {
    backbone.jdbc.update("DELETE FROM easel.outbox");
    backbone.jdbc.update("DELETE FROM easel.inbox");
    backbone.jdbc.update("DELETE FROM ledger");
  }

  @Test
  void relayDiesMidBatchAndRestartsWithoutLossWhileTheLedgerAppliesEachEventOnce(
      Infrastructure infra) throws Exception {
    String topic = "easel.ledgercrash.events";
    infra.createTopics(3, topic);
    int events = 3000;
    writeEvents(topic, events, 30);
    AtomicInteger crashes = new AtomicInteger();
    Supplier<OutboxSender> crashing =
        () ->
            new HalfThenCrash(
                new KafkaOutboxSender(infra.kafkaBootstrapServers(), "crashy", Map.of()), crashes);

    try (LedgerConsumer ledger =
        new LedgerConsumer(backbone, infra.kafkaBootstrapServers(), topic)) {
      OutboxRelay first = relay(crashing, "crash-test");
      first.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> crashes.get() >= 1);
      first.stop(); // the process "dies" after sending half a batch it never marked
      OutboxRelay second = relay(crashing, "crash-test");
      second.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> ledgerCount() == events);
        assertThat(crashes.get()).isGreaterThanOrEqualTo(3);
        assertThat(ledger.deliveries.get())
            .as("consumers saw re-sent duplicates")
            .isGreaterThan(events);
        assertEffectsOnceAndInOrderPerKey(events);
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished() == 0);
      } finally {
        second.stop();
      }
    }
  }

  @Test
  void brokerDownForThirtySecondsThenTheOutboxCatchesUpWithNothingLostAndOrderPerKeyKept()
      throws Exception {
    String topic = "easel.ledgeroutage.events";
    try (KraftBroker broker =
        new KraftBroker(Infrastructure.tempDir("outage-broker"), 0, 3).start()) {
      OutboxRelay relay =
          relay(
              () -> new KafkaOutboxSender(broker.bootstrapServers(), "outage", Map.of()),
              "outage-test");
      relay.start();
      int perPhase = 600;
      try {
        writeEvents(topic, perPhase, 20);
        await().atMost(Duration.ofSeconds(30)).until(() -> unpublished() == 0);

        broker.stop();
        long outageStart = System.nanoTime();
        writeEvents(topic, perPhase, 20); // written while the broker is down
        while (System.nanoTime() - outageStart < Duration.ofSeconds(30).toNanos()) {
          writeEvents(topic, 20, 20);
          Thread.sleep(1_000);
        }
        assertThat(unpublished())
            .as("nothing could be published during the outage")
            .isGreaterThan(perPhase);
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(
                () -> {
                  assertThat(backbone.meters.get("easel.outbox.unpublished").gauge().value())
                      .isGreaterThan(perPhase);
                  assertThat(backbone.meters.get("easel.outbox.oldest.age").gauge().value())
                      .as("seconds the oldest waiting event has waited")
                      .isGreaterThan(20);
                });
        broker.start();

        int total = ledgerTarget();
        try (LedgerConsumer ledger =
            new LedgerConsumer(backbone, broker.bootstrapServers(), topic)) {
          await().atMost(Duration.ofSeconds(90)).until(() -> ledgerCount() == total);
          assertEffectsOnceAndInOrderPerKey(total);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished() == 0);
      } finally {
        relay.stop();
      }
    }
  }

  @Test
  void aRolledBackTransactionPublishesNothing() {
    try {
      backbone.tx.executeWithoutResult(
          s -> {
            outbox.publishEvent("acct-x", new EntryRecorded("acct-x", 1));
            throw new IllegalStateException("business rule broken");
          });
    } catch (IllegalStateException expected) {
      // rolled back
    }
    assertThat(backbone.jdbc.queryForObject("SELECT count(*) FROM easel.outbox", Integer.class))
        .isZero();
  }

  @Test
  void appendingOutsideATransactionIsRefused() {
    assertThatThrownBy(() -> outbox.publishEvent("acct-y", new EntryRecorded("acct-y", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transaction");
  }

  @Test
  void onlyOneOfTwoRelaysLeadsAndTheStandbyTakesOverWhenItStops(Infrastructure infra) {
    String topic = "easel.ledgerpair.events";
    infra.createTopics(1, topic);
    Supplier<OutboxSender> sender =
        () -> new KafkaOutboxSender(infra.kafkaBootstrapServers(), "pair", Map.of());
    OutboxRelay a = relay(sender, "leader-test");
    OutboxRelay b = relay(sender, "leader-test");
    a.start();
    await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
    b.start();
    try {
      writeEvents(topic, 50, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
      assertThat(b.isLeader()).isFalse();
      a.stop();
      await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
      writeEvents(topic, 50, 5);
      await().atMost(Duration.ofSeconds(20)).until(() -> unpublished() == 0);
    } finally {
      a.stop();
      b.stop();
    }
  }

  @Test
  void aLeaderWhoseLockSessionEndsMidDrainSendsNothingMoreAndTheStandbyFinishesInOrder(
      Infrastructure infra) throws Exception {
    String topic = "easel.ledgerfence.events";
    infra.createTopics(3, topic);
    int events = 3000;
    writeEvents(topic, events, 30);
    AtomicBoolean fenced = new AtomicBoolean();
    AtomicInteger sentAfterFencing = new AtomicInteger();
    OutboxRelay[] standby = new OutboxRelay[1];
    Supplier<OutboxSender> leaderSender =
        () ->
            new OutboxSender() {
              private final KafkaOutboxSender real =
                  new KafkaOutboxSender(infra.kafkaBootstrapServers(), "fenced", Map.of());
              private int batches;

              @Override
              public Flight send(List<OutboxRecord> batch, Runnable answered) {
                if (fenced.get()) {
                  sentAfterFencing.incrementAndGet();
                } else if (++batches == 2) {
                  // Mid-drain, between reading a batch and sending it: the lock session ends,
                  // and the standby takes the lock before this batch leaves.
                  fenced.set(true);
                  terminateLockSession("fence-test");
                  await().atMost(Duration.ofSeconds(10)).until(() -> standby[0].isLeader());
                }
                return real.send(batch, answered);
              }

              @Override
              public void close() {
                real.close();
              }
            };
    try (LedgerConsumer ledger =
        new LedgerConsumer(backbone, infra.kafkaBootstrapServers(), topic)) {
      OutboxRelay leader = relay(leaderSender, "fence-test");
      standby[0] =
          relay(
              () -> new KafkaOutboxSender(infra.kafkaBootstrapServers(), "standby", Map.of()),
              "fence-test");
      try {
        leader.start();
        await().atMost(Duration.ofSeconds(10)).until(leader::isLeader);
        standby[0].start();
        await().atMost(Duration.ofSeconds(60)).until(() -> ledgerCount() == events);
        await().atMost(Duration.ofSeconds(10)).until(() -> unpublished() == 0);
        assertThat(fenced).isTrue();
        assertEffectsOnceAndInOrderPerKey(events);
        assertThat(sentAfterFencing.get())
            .as("once its lock session ended, the old leader sent nothing it read afterwards")
            .isZero();
        assertThat(leader.isLeader()).isFalse();
      } finally {
        leader.stop();
        standby[0].stop();
      }
    }
  }

  /** Ends the database session that holds a service's relay lock, as a failover or DBA would. */
  private static void terminateLockSession(String service) {
    long key = OutboxRelay.lockKey(service);
    int ended =
        backbone.jdbc.queryForObject(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND granted AND database = (SELECT oid FROM pg_database"
                + " WHERE datname = current_database()) AND classid::bigint = ?"
                + " AND objid::bigint = ?",
            Integer.class,
            (key >>> 32) & 0xffffffffL,
            key & 0xffffffffL);
    assertThat(ended).as("the leader's lock session").isEqualTo(1);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private final Map<String, Integer> nextSeq = new HashMap<>();
  private int written;

  /** Writes events in small transactions, spread over {@code keys} accounts, numbered per key. */
  private void writeEvents(String topic, int count, int keys) {
    for (int start = 0; start < count; start += 10) {
      int end = Math.min(count, start + 10);
      int from = start;
      backbone.tx.executeWithoutResult(
          s -> {
            List<OutboundMessage> batch = new ArrayList<>();
            for (int i = from; i < end; i++) {
              String account = "acct-" + (i % keys);
              int seq = nextSeq.merge(account, 1, Integer::sum);
              batch.add(OutboundMessage.of(topic, account, new EntryRecorded(account, seq)));
            }
            outbox.appendAll(batch);
          });
      written += end - start;
    }
  }

  private int ledgerTarget() {
    return written;
  }

  private int ledgerCount() {
    return backbone.jdbc.queryForObject("SELECT count(*) FROM ledger", Integer.class);
  }

  private int unpublished() {
    return backbone.jdbc.queryForObject(
        "SELECT count(*) FROM easel.outbox WHERE published_at IS NULL", Integer.class);
  }

  private void assertEffectsOnceAndInOrderPerKey(int expected) {
    assertThat(
            backbone.jdbc.queryForObject(
                "SELECT count(DISTINCT message_id) FROM ledger", Integer.class))
        .as("every event's effect happened exactly once")
        .isEqualTo(expected)
        .isEqualTo(ledgerCount());
    List<String> outOfOrder =
        backbone.jdbc.queryForList(
            "SELECT account || ': ' || prev || ' then ' || seq FROM (SELECT account, seq,"
                + " lag(seq) OVER (PARTITION BY account ORDER BY id) AS prev FROM ledger) t"
                + " WHERE prev IS NOT NULL AND seq <> prev + 1",
            String.class);
    assertThat(outOfOrder)
        .as("effects per account follow the order the events were written")
        .isEmpty();
  }

  private OutboxRelay relay(Supplier<OutboxSender> sender, String service) {
    OutboxRelaySettings d = OutboxRelaySettings.defaults();
    OutboxRelaySettings fast =
        new OutboxRelaySettings(
            250,
            d.maxInFlight(),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofMillis(500),
            Duration.ofMillis(200),
            Duration.ofMillis(50),
            Duration.ofSeconds(1),
            d.retention(),
            d.cleanupInterval(),
            Duration.ofMillis(200));
    return new OutboxRelay(
        backbone.dataSource, backbone.json, sender, fast, service, backbone.meters);
  }

  /**
   * Sends the first half of every batch through a real producer, then throws, as a process would
   * that died between publishing and marking rows published. The first three batches crash.
   */
  private static final class HalfThenCrash implements OutboxSender {
    private final KafkaOutboxSender real;
    private final AtomicInteger crashes;

    HalfThenCrash(KafkaOutboxSender real, AtomicInteger crashes) {
      this.real = real;
      this.crashes = crashes;
    }

    @Override
    public Flight send(List<OutboxRecord> batch, Runnable answered) {
      if (crashes.get() < 3 && batch.size() > 1) {
        real.send(batch.subList(0, batch.size() / 2), () -> {})
            .awaitAcknowledged(Duration.ofSeconds(10));
        crashes.incrementAndGet();
        throw new IllegalStateException("relay died mid-batch");
      }
      return real.send(batch, answered);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
