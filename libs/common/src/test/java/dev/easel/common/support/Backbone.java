package dev.easel.common.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.easel.common.config.BackboneMigrations;
import dev.easel.common.envelope.EnvelopeCodec;
import dev.easel.common.outbox.JdbcOutbox;
import dev.easel.common.outbox.RelayWakeup;
import dev.easel.contracts.ContractRegistry;
import dev.easel.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The backbone's parts wired by hand on a real database, for tests below the Spring level. */
public final class Backbone implements AutoCloseable {

  public final HikariDataSource dataSource;
  public final JdbcTemplate jdbc;
  public final TransactionTemplate tx;
  public final JsonMapper json = JsonMapper.builder().build();
  public final ContractRegistry registry = ContractRegistry.withShipped(TestContracts.ALL);
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  public Backbone(TestDatabase db) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(db.jdbcUrl());
    c.setUsername(db.username());
    c.setPassword(db.password());
    c.setMaximumPoolSize(10);
    dataSource = new HikariDataSource(c);
    BackboneMigrations.migrate(dataSource);
    Flyway.configure().dataSource(dataSource).load().migrate();
    jdbc = new JdbcTemplate(dataSource);
    tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  public JdbcOutbox outbox(String context) {
    return new JdbcOutbox(
        jdbc,
        registry,
        json,
        context,
        "/easel/test-" + context,
        Clock.systemUTC(),
        RelayWakeup.NONE);
  }

  /** What the Kafka binder would hand a function for this record. */
  public static Message<byte[]> asMessage(ConsumerRecord<String, byte[]> r) {
    Map<String, Object> headers = new HashMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value());
    }
    headers.put(KafkaHeaders.RECEIVED_TOPIC, r.topic());
    if (r.key() != null) {
      headers.put(KafkaHeaders.RECEIVED_KEY, r.key());
    }
    return MessageBuilder.createMessage(
        r.value(), new org.springframework.messaging.MessageHeaders(headers));
  }

  /** Reads the envelope of a record, to check what went on the wire. */
  public static String type(ConsumerRecord<String, byte[]> r) {
    return EnvelopeCodec.fromHeaders(
            name -> {
              Header h = r.headers().lastHeader(name);
              return h == null ? null : h.value();
            })
        .type();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
