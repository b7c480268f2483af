package dev.easel.common.support;

import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaStep;
import dev.easel.common.support.TestContracts.ConfirmOrder;
import dev.easel.common.support.TestContracts.ReleaseStock;
import dev.easel.common.support.TestContracts.ReserveStock;
import dev.easel.common.support.TestContracts.StockReserved;
import dev.easel.contracts.saga.CommandFailed;
import java.time.Duration;
import java.util.List;

/**
 * The test saga: reserve the first SKU, then the rest at once, then confirm the order with
 * whichever context it names. Naming a context nobody serves makes the last step time out.
 */
public final class PlaceOrder {

  public static final String NAME = "PlaceOrder";

  private PlaceOrder() {}

  public static SagaDefinition<Order> definition() {
    return SagaDefinition.of(NAME, Order.class)
        .step("reserve-first")
        .invoke(PlaceOrder::reserveFirst)
        .compensateWith(PlaceOrder::releaseFirst)
        .onReply(StockReserved.class, PlaceOrder::reserved)
        .onRefusal("out-of-stock", PlaceOrder::outOfStock)
        .retry(RetryPolicy.attempts(2).backoff(Duration.ofMillis(100)))
        .timeout(Duration.ofSeconds(10))
        .step("reserve-rest")
        .invokeAll(PlaceOrder::reserveRest)
        .compensateWithAll(PlaceOrder::releaseRest)
        .onReply(StockReserved.class, PlaceOrder::reserved)
        .onRefusal("out-of-stock", PlaceOrder::outOfStock)
        .retry(RetryPolicy.attempts(2).backoff(Duration.ofMillis(100)))
        .timeout(Duration.ofSeconds(10))
        .step("confirm")
        .invoke(PlaceOrder::confirm)
        .decideOnRefusal("already-confirmed", (o, refusal) -> SagaStep.proceed(o))
        .timeout(Duration.ofMillis(1500))
        .build();
  }

  static SagaCommand reserveFirst(Order o) {
    return SagaCommand.to("stock", o.orderId(), new ReserveStock(o.orderId(), o.skus().get(0)));
  }

  static SagaCommand releaseFirst(Order o) {
    return SagaCommand.to("stock", o.orderId(), new ReleaseStock(o.orderId(), o.skus().get(0)));
  }

  static List<SagaCommand> reserveRest(Order o) {
    return rest(o).stream()
        .map(sku -> SagaCommand.to("stock", o.orderId(), new ReserveStock(o.orderId(), sku)))
        .toList();
  }

  static List<SagaCommand> releaseRest(Order o) {
    return rest(o).stream()
        .map(sku -> SagaCommand.to("stock", o.orderId(), new ReleaseStock(o.orderId(), sku)))
        .toList();
  }

  static SagaCommand confirm(Order o) {
    return SagaCommand.to(o.confirmTo(), o.orderId(), new ConfirmOrder(o.orderId()));
  }

  static Order reserved(Order o, StockReserved r) {
    return o.withReserved(r.sku());
  }

  static Order outOfStock(Order o, CommandFailed refusal) {
    return o.withUnavailable(refusal.details());
  }

  private static List<String> rest(Order o) {
    return o.skus().subList(1, o.skus().size());
  }
}
