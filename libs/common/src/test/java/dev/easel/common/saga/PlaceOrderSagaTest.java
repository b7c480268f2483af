package dev.easel.common.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.saga.testing.SagaScenario;
import dev.easel.common.support.Order;
import dev.easel.common.support.PlaceOrder;
import dev.easel.common.support.TestContracts.ConfirmOrder;
import dev.easel.common.support.TestContracts.ReleaseStock;
import dev.easel.common.support.TestContracts.ReserveStock;
import dev.easel.common.support.TestContracts.StockReserved;
import dev.easel.contracts.saga.SagaStepFailed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test saga's definition, step by step, with no broker and no database. */
class PlaceOrderSagaTest {

  private static final SagaDefinition<Order> PLACE_ORDER = PlaceOrder.definition();

  private static SagaScenario<Order> order(String... skus) {
    return SagaScenario.given(PLACE_ORDER, Order.of("o-1", List.of(skus), "stock"));
  }

  @Test
  void reservesEverySkuThenConfirms() {
    order("a", "b", "c")
        .expectCommand(ReserveStock.class, c -> c.sku().equals("a"))
        .to("stock")
        .reply(new StockReserved("o-1", "a"))
        .expectCommand(ReserveStock.class, c -> c.sku().equals("b"))
        .reply(new StockReserved("o-1", "b"))
        .expectCommand(ReserveStock.class, c -> c.sku().equals("c"))
        .reply(new StockReserved("o-1", "c"))
        .expectCommand(ConfirmOrder.class)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPLETED)
        .expectData(o -> assertThat(o.reserved()).containsExactly("a", "b", "c"));
  }

  @Test
  void anOutOfStockRefusalIsRecordedByItsNamedHandlerAndUndoesWhatWasReserved() {
    order("a", "b", "c")
        .expectCommand(ReserveStock.class)
        .reply(new StockReserved("o-1", "a"))
        .expectCommand(ReserveStock.class, c -> c.sku().equals("b"))
        .expectCommand(ReserveStock.class, c -> c.sku().equals("c"))
        .replyRefused("out-of-stock", List.of("c"), false)
        .expectCommand(ReleaseStock.class, c -> c.sku().equals("b"))
        .replySucceeded()
        .expectCommand(ReleaseStock.class, c -> c.sku().equals("c"))
        .replySucceeded()
        .expectCommand(ReleaseStock.class, c -> c.sku().equals("a"))
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("reserve-rest")
        .expectData(o -> assertThat(o.unavailable()).containsExactly("c"));
  }

  @Test
  void aStepEveryParticipantRefusedHasNothingToUndo() {
    order("a", "b")
        .expectCommand(ReserveStock.class)
        .replyRefused("out-of-stock", List.of("a"), false)
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectData(o -> assertThat(o.unavailable()).containsExactly("a"));
  }

  @Test
  void aTimedOutStepIsFailedAndTheEarlierStepsAreUndoneInReverse() {
    SagaScenario.given(PLACE_ORDER, Order.of("o-2", List.of("a", "b"), "nobody"))
        .expectCommand(ReserveStock.class)
        .reply(new StockReserved("o-2", "a"))
        .expectCommand(ReserveStock.class)
        .reply(new StockReserved("o-2", "b"))
        .expectCommand(ConfirmOrder.class)
        .to("nobody")
        .deadlinePasses()
        .expectEvent(SagaStepFailed.class, e -> e.timedOut() && e.stepName().equals("confirm"))
        .expectCommand(ReleaseStock.class, c -> c.sku().equals("b"))
        .replySucceeded()
        .expectCommand(ReleaseStock.class, c -> c.sku().equals("a"))
        .replySucceeded()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("timed out");
  }

  @Test
  void aTimedOutTryIsSentAgainWhileItsRetryPolicyAllows() {
    SagaScenario<Order> s =
        order("a")
            .expectCommand(ReserveStock.class)
            .deadlinePasses()
            .expectCommand(ReserveStock.class, c -> c.sku().equals("a"))
            .expectStatus(SagaStatus.RUNNING);
    assertThat(s.saga().attempts()).isEqualTo(2);
    s.reply(new StockReserved("o-1", "a"))
        .expectCommand(ConfirmOrder.class)
        .replySucceeded()
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void aRefusalItsHandlerAcceptsCountsAsDone() {
    order("a")
        .expectCommand(ReserveStock.class)
        .reply(new StockReserved("o-1", "a"))
        .expectCommand(ConfirmOrder.class)
        .replyRefused("already-confirmed")
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void aRetryableRefusalOfACompensationIsTriedAgainThenTheSagaFails() {
    order("a")
        .expectCommand(ReserveStock.class)
        .reply(new StockReserved("o-1", "a"))
        .expectCommand(ConfirmOrder.class)
        .replyRefused("order-refused")
        .expectCommand(ReleaseStock.class)
        .replyRefused("locked", List.of(), true)
        .deadlinePasses()
        .expectCommand(ReleaseStock.class)
        .replyRefused("locked", List.of(), true)
        .expectStatus(SagaStatus.FAILED)
        .expectFailureReasonContaining("compensation of step 'reserve-first' failed after 2")
        .expectFailureReasonContaining("order-refused");
  }

  @Test
  void aDuplicatedReplyChangesNothing() {
    SagaScenario<Order> s =
        order("a").expectCommand(ReserveStock.class).reply(new StockReserved("o-1", "a"));
    long version = s.saga().version();
    s.reply(new StockReserved("o-1", "a"));
    assertThat(s.saga().version()).isEqualTo(version);
    s.expectCommand(ConfirmOrder.class).expectNoMoreCommands().expectStatus(SagaStatus.RUNNING);
  }
}
