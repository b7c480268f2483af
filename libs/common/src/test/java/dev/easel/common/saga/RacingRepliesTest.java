package dev.easel.common.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.support.Backbone;
import dev.easel.common.support.Order;
import dev.easel.common.support.TestContracts.ReserveStock;
import dev.easel.common.support.TestContracts.StockReserved;
import dev.easel.testing.InfrastructureExtension;
import dev.easel.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies that race for one saga, each in its own transaction on a real PostgreSQL: optimistic
 * locking must make the loser re-read and apply its reply on top, so no update is lost.
 */
@ExtendWith(InfrastructureExtension.class)
class RacingRepliesTest {

  private static Backbone backbone;
  private static SagaEngine engine;
  private static final SagaDefinition<Order> FAN_OUT =
      SagaDefinition.of("FanOut", Order.class)
          .step("reserve-all")
          .invokeAll(
              o ->
                  o.skus().stream()
                      .map(
                          sku ->
                              SagaCommand.to(
                                  "stock", o.orderId(), new ReserveStock(o.orderId(), sku)))
                      .toList())
          .onReply(StockReserved.class, (o, r) -> o.withReserved(r.sku()))
          .timeout(Duration.ofMinutes(5))
          .build();

  @BeforeAll
  static void setUp(TestDatabase db) {
    backbone = new Backbone(db);
    engine =
        new SagaEngine(
            new JdbcSagaStore(backbone.jdbc, backbone.json),
            backbone.outbox("orders"),
            backbone.json,
            backbone.tx,
            "orders",
            "/easel/orders",
            Clock.systemUTC(),
            backbone.meters,
            List.of(FAN_OUT));
  }

  @AfterAll
  static void tearDown() {
    backbone.close();
  }

  @Test
  void twoRepliesRacingForOneSagaBothLand() throws Exception {
    for (int round = 0; round < 10; round++) {
      raceRound(2);
    }
    assertThat(backbone.meters.counter("easel.saga.conflicts").count())
        .as("the races really happened")
        .isPositive();
  }

  @Test
  void eightRepliesRacingForOneSagaAllLand() throws Exception {
    raceRound(8);
  }

  @Test
  void twoBatchesOfRepliesRacingForOneSagaBothLand() throws Exception {
    for (int round = 0; round < 5; round++) {
      List<String> skus = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        skus.add("sku-" + i);
      }
      Order order = Order.of("batch-" + UUID.randomUUID(), skus, "stock");
      UUID sagaId = engine.start(FAN_OUT, order);
      List<String> commandIds = commandIds(sagaId, 8);
      CyclicBarrier start = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
          int from = half * 4;
          done.add(
              pool.submit(
                  () -> {
                    List<InboundMessage<Object>> batch = new ArrayList<>();
                    for (int i = from; i < from + 4; i++) {
                      batch.add(reply(sagaId, commandIds.get(i), order.orderId(), skus.get(i)));
                    }
                    start.await();
                    backbone.tx.executeWithoutResult(s -> engine.onReplies(batch));
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      assertThat(engine.find(sagaId).orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(engine.data(sagaId, FAN_OUT).orElseThrow().reserved())
          .as("every reply of both batches survived")
          .containsExactlyInAnyOrderElementsOf(skus);
    }
  }

  private List<String> commandIds(UUID sagaId, int expected) {
    List<String> ids =
        backbone.jdbc.queryForList(
            "SELECT id::text FROM easel.outbox WHERE extensions->>'sagaid' = ? AND topic = ?"
                + " ORDER BY seq",
            String.class,
            sagaId.toString(),
            "easel.stock.commands");
    assertThat(ids).hasSize(expected);
    return ids;
  }

  private void raceRound(int parallel) throws Exception {
    List<String> skus = new ArrayList<>();
    for (int i = 0; i < parallel; i++) {
      skus.add("sku-" + i);
    }
    Order order = Order.of("race-" + UUID.randomUUID(), skus, "stock");
    UUID sagaId = engine.start(FAN_OUT, order);
    List<String> commandIds = commandIds(sagaId, parallel);

    CyclicBarrier start = new CyclicBarrier(parallel);
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        int n = i;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  backbone.tx.executeWithoutResult(
                      s ->
                          engine.onReply(
                              reply(sagaId, commandIds.get(n), order.orderId(), skus.get(n))));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    SagaView view = engine.find(sagaId).orElseThrow();
    assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
    assertThat(engine.data(sagaId, FAN_OUT).orElseThrow().reserved())
        .as("every reply's update survived")
        .containsExactlyInAnyOrderElementsOf(skus);
  }

  private static InboundMessage<Object> reply(
      UUID sagaId, String commandId, String orderId, String sku) {
    Envelope e =
        new Envelope(
            UUID.randomUUID().toString(),
            "dev.easel.stock.StockReserved.v1",
            "/easel/stock",
            sagaId.toString(),
            null,
            null,
            commandId,
            sagaId.toString(),
            null,
            null,
            sagaId + ":0",
            null);
    return new InboundMessage<>(
        e, new StockReserved(orderId, sku), "easel.orders.replies", sagaId.toString());
  }
}
