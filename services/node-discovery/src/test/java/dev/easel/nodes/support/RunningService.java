package dev.easel.nodes.support;

import dev.easel.nodes.NodeDiscoveryApplication;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real node-discovery service on a fresh database of the shared PostgreSQL and the shared
 * broker, on a free port.
 */
public final class RunningService implements AutoCloseable {

  public final ConfigurableApplicationContext app;
  public final String base;
  private final String[] args;

  private RunningService(ConfigurableApplicationContext app, String[] args) {
    this.app = app;
    this.args = args;
    this.base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  public static RunningService start(String databaseHint, Map<String, String> extra) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events");
    TestDatabase db = infra.newDatabase(databaseHint);
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.putAll(extra);
    // Arguments, not default properties: the service's application.yml must yield to them.
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    return new RunningService(
        new SpringApplicationBuilder(NodeDiscoveryApplication.class).run(args), args);
  }

  /** Closes this instance and starts a new one on the same database, as a restart does. */
  public RunningService restart() {
    close();
    return new RunningService(
        new SpringApplicationBuilder(NodeDiscoveryApplication.class).run(args), args);
  }

  @Override
  public void close() {
    app.close();
  }
}
