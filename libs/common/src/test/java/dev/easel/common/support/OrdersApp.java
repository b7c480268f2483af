package dev.easel.common.support;

import dev.easel.common.config.ContractTypes;
import dev.easel.common.saga.SagaDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A test orchestrator running {@link PlaceOrder}. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class OrdersApp {

  public static final String SAGA = PlaceOrder.NAME;

  @Bean
  ContractTypes testContracts() {
    return new ContractTypes(TestContracts.ALL);
  }

  @Bean
  SagaDefinition<Order> placeOrder() {
    return PlaceOrder.definition();
  }
}
