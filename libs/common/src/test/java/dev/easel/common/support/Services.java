package dev.easel.common.support;

import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts test services as real Spring Boot contexts on the shared broker and a given database. */
public final class Services {

  private Services() {}

  public static ConfigurableApplicationContext orders(TestDatabase db, Map<String, Object> extra) {
    Map<String, Object> p = common(db, "orders", "orders-service");
    p.put("easel.messaging.saga.enabled", "true");
    p.put("easel.messaging.saga.deadline-poll", "100ms");
    p.put("spring.cloud.function.definition", "");
    p.putAll(extra);
    return start(OrdersApp.class, p);
  }

  public static ConfigurableApplicationContext stock(TestDatabase db, Map<String, Object> extra) {
    Map<String, Object> p = common(db, "stock", "stock-service");
    p.put("spring.cloud.function.definition", "stockCommands");
    p.put("spring.cloud.stream.bindings.stockCommands-in-0.destination", "easel.stock.commands");
    p.putAll(extra);
    return start(StockApp.class, p);
  }

  private static Map<String, Object> common(TestDatabase db, String context, String service) {
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("spring.cloud.stream.kafka.binder.brokers", Infrastructure.get().kafkaBootstrapServers());
    p.put("easel.messaging.context", context);
    p.put("easel.messaging.service", service);
    p.put("spring.datasource.hikari.maximum-pool-size", "8");
    p.put("spring.cloud.stream.kafka.binder.consumer-properties.fetch.max.wait.ms", "50");
    p.put("spring.cloud.stream.kafka.binder.auto-add-partitions", "true");
    p.put("spring.cloud.stream.kafka.binder.min-partition-count", "2");
    p.put("management.endpoints.enabled-by-default", "false");
    return p;
  }

  private static ConfigurableApplicationContext start(Class<?> app, Map<String, Object> props) {
    return new SpringApplicationBuilder(app)
        .web(WebApplicationType.NONE)
        .properties(props)
        .logStartupInfo(false)
        .run();
  }
}
