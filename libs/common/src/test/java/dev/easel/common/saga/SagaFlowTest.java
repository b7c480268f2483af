package dev.easel.common.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.envelope.TraceParent;
import dev.easel.common.support.Order;
import dev.easel.common.support.Services;
import dev.easel.common.support.TestContracts;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.saga.SagaCompensated;
import dev.easel.contracts.saga.SagaCompleted;
import dev.easel.contracts.saga.SagaFailed;
import dev.easel.contracts.saga.SagaStarted;
import dev.easel.contracts.saga.SagaStepCompleted;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sagas between two real Spring Boot services, an orchestrator ({@code orders}) and a participant
 * ({@code stock}), through real Kafka and PostgreSQL.
 */
class SagaFlowTest {

  private static final ContractRegistry REGISTRY = ContractRegistry.withShipped(TestContracts.ALL);
  private static TestDatabase ordersDb;
  private static ConfigurableApplicationContext stock;
  private static ConfigurableApplicationContext orders;

  @BeforeAll
  static void start() {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(2, "easel.stock.commands", "easel.orders.replies", "easel.orders.events");
    ordersDb = infra.newDatabase("sagaorders");
    stock = Services.stock(infra.newDatabase("sagastock"), Map.of());
    orders = Services.orders(ordersDb, Map.of());
  }

  @AfterAll
  static void stop() {
    if (orders != null) {
      orders.close();
    }
    if (stock != null) {
      stock.close();
    }
  }

  @Test
  void completesEveryStepAndAnnouncesEachTransition() {
    try (EventStream events = EventStream.watch(REGISTRY, "easel.orders.events")) {
      UUID[] id = new UUID[1];
      events
          .stimulate(() -> id[0] = start(orders, order("ok", List.of("a", "b"), "stock")))
          .andWaitForEventOfType(SagaCompleted.class)
          .matching(e -> e.sagaId().equals(id[0]))
          .toArrive();
      assertThat(events.receivedOfType(SagaStarted.class))
          .anyMatch(e -> e.payload().sagaId().equals(id[0]));
      assertThat(
              events.receivedOfType(SagaStepCompleted.class).stream()
                  .filter(e -> e.payload().sagaId().equals(id[0]))
                  .map(e -> e.payload().stepName()))
          .containsExactly("reserve-first", "reserve-rest", "confirm");
      SagaView view = engine(orders).find(id[0]).orElseThrow();
      assertThat(view.status()).isEqualTo(SagaStatus.COMPLETED);
      assertThat(
              events.received().stream()
                  .filter(e -> id[0].toString().equals(e.key()))
                  .map(e -> TraceParent.traceId(e.header("ce_traceparent")))
                  .distinct())
          .as("the saga's events, emitted across both services, carry one trace")
          .hasSize(1)
          .doesNotContainNull();
      assertThat(engine(orders).data(id[0], definition(orders)).orElseThrow().reserved())
          .containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void aRefusedStepUndoesOnlyTheStepsThatCompleted() {
    try (EventStream events = EventStream.watch(REGISTRY, "easel.orders.events")) {
      UUID[] id = new UUID[1];
      events
          .stimulate(
              () -> id[0] = start(orders, order("refusal", List.of("a", "refused"), "stock")))
          .andWaitForEventOfType(SagaCompensated.class)
          .matching(e -> e.sagaId().equals(id[0]))
          .toArrive();
      SagaView view = engine(orders).find(id[0]).orElseThrow();
      assertThat(view.failureReason()).contains("reserve-rest").contains("out-of-stock");
      assertThat(compensatedSteps(view)).containsExactly("reserve-first");
    }
  }

  @Test
  void aTimedOutStepIsCompensatedInReverseOnceEvenAcrossARestartAndTwoInstances() {
    ConfigurableApplicationContext second = null;
    ConfigurableApplicationContext third = null;
    try (EventStream events =
        EventStream.watch(REGISTRY, "easel.orders.events", "easel.stock.commands")) {
      ConfigurableApplicationContext first = Services.orders(ordersDb, Map.of());
      UUID id = start(first, order("timeout", List.of("a", "b", "c"), "nobody"));
      first.close(); // the instance that started the saga goes away with its deadline pending
      second = Services.orders(ordersDb, Map.of());
      third = Services.orders(ordersDb, Map.of());
      events
          .andWaitForEventOfType(SagaCompensated.class)
          .matching(e -> e.sagaId().equals(id))
          .within(Duration.ofSeconds(45))
          .toArrive();
      SagaView view = engine(second).find(id).orElseThrow();
      assertThat(view.status()).isEqualTo(SagaStatus.COMPENSATED);
      assertThat(view.failureReason()).contains("confirm").contains("timed out");
      assertThat(compensatedSteps(view)).containsExactly("reserve-rest", "reserve-first");
      assertThat(
              events.received().stream()
                  .filter(e -> id.toString().equals(e.header("ce_sagaid")))
                  .map(e -> TraceParent.traceId(e.header("ce_traceparent")))
                  .distinct())
          .as("the releases a deadline sent, on another instance, stay in the saga's trace")
          .hasSize(1)
          .doesNotContainNull();
      assertThat(view.history().stream().filter(h -> h.entry().equals("TIMED_OUT")))
          .as("the deadline fired on exactly one instance")
          .hasSize(1);
      JdbcTemplate stockDb = stock.getBean(JdbcTemplate.class);
      assertThat(
              stockDb.queryForList(
                  "SELECT sku FROM stock_ledger WHERE request_id LIKE ? AND op = 'release' ORDER BY at",
                  String.class,
                  id + ":%"))
          .as("released in reverse order of reservation")
          .containsExactly("b", "c", "a");
    } finally {
      if (second != null) {
        second.close();
      }
      if (third != null) {
        third.close();
      }
    }
  }

  @Test
  void aCompensationThatKeepsFailingEndsTheSagaFailedWithItsReasonInTheQueryApi() {
    try (EventStream events = EventStream.watch(REGISTRY, "easel.orders.events")) {
      UUID[] id = new UUID[1];
      events
          .stimulate(
              () -> id[0] = start(orders, order("refuse-1", List.of("sticky", "b"), "stock")))
          .andWaitForEventOfType(SagaFailed.class)
          .matching(e -> e.sagaId().equals(id[0]))
          .toArrive();
      SagaView view = engine(orders).find(id[0]).orElseThrow();
      assertThat(view.status()).isEqualTo(SagaStatus.FAILED);
      assertThat(view.stepName()).isEqualTo("reserve-first");
      assertThat(view.failureReason())
          .contains("compensation of step 'reserve-first' failed after 2 attempt(s)")
          .contains("locked")
          .contains("order-refused");
      assertThat(compensatedSteps(view)).containsExactly("reserve-rest");
      assertThat(view.history()).anyMatch(h -> h.entry().equals("COMPENSATION_FAILED"));
    }
  }

  private static List<String> compensatedSteps(SagaView view) {
    return view.history().stream()
        .filter(h -> h.entry().equals("COMPENSATED"))
        .map(SagaHistoryEntry::stepName)
        .toList();
  }

  private static Order order(String prefix, List<String> skus, String confirmTo) {
    return Order.of(prefix + "-" + UUID.randomUUID(), skus, confirmTo);
  }

  private static UUID start(ConfigurableApplicationContext app, Order order) {
    return engine(app).start(definition(app), order);
  }

  private static SagaEngine engine(ConfigurableApplicationContext app) {
    return app.getBean(SagaEngine.class);
  }

  @SuppressWarnings("unchecked")
  private static SagaDefinition<Order> definition(ConfigurableApplicationContext app) {
    return (SagaDefinition<Order>) app.getBean("placeOrder", SagaDefinition.class);
  }
}
