package dev.easel.common.support;

import dev.easel.common.config.ContractTypes;
import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.support.TestContracts.ConfirmOrder;
import dev.easel.common.support.TestContracts.ReleaseStock;
import dev.easel.common.support.TestContracts.ReserveStock;
import dev.easel.common.support.TestContracts.StockReserved;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A test orchestrator: reserve two SKUs, then confirm the order with whichever context the order
 * names. Naming a context nobody serves makes the last step time out.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OrdersApp {

  public static final String SAGA = "PlaceOrder";

  @Bean
  ContractTypes testContracts() {
    return new ContractTypes(TestContracts.ALL);
  }

  @Bean
  SagaDefinition<Order> placeOrder() {
    return SagaDefinition.of(SAGA, Order.class)
        .step("reserve-first")
        .invoke(
            o ->
                List.of(
                    SagaCommand.to(
                        "stock", o.orderId(), new ReserveStock(o.orderId(), o.skus().get(0)))))
        .compensateWith(
            o ->
                List.of(
                    SagaCommand.to(
                        "stock", o.orderId(), new ReleaseStock(o.orderId(), o.skus().get(0)))))
        .onReply(StockReserved.class, (o, r) -> o.withReserved(r.sku()))
        .retry(RetryPolicy.attempts(2).backoff(Duration.ofMillis(100)))
        .timeout(Duration.ofSeconds(10))
        .step("reserve-rest")
        .invoke(
            o ->
                o.skus().subList(1, o.skus().size()).stream()
                    .map(
                        sku ->
                            SagaCommand.to(
                                "stock", o.orderId(), new ReserveStock(o.orderId(), sku)))
                    .toList())
        .compensateWith(
            o ->
                o.skus().subList(1, o.skus().size()).stream()
                    .map(
                        sku ->
                            SagaCommand.to(
                                "stock", o.orderId(), new ReleaseStock(o.orderId(), sku)))
                    .toList())
        .onReply(StockReserved.class, (o, r) -> o.withReserved(r.sku()))
        .retry(RetryPolicy.attempts(2).backoff(Duration.ofMillis(100)))
        .timeout(Duration.ofSeconds(10))
        .step("confirm")
        .invoke(
            o -> List.of(SagaCommand.to(o.confirmTo(), o.orderId(), new ConfirmOrder(o.orderId()))))
        .timeout(Duration.ofMillis(1500))
        .build();
  }
}
