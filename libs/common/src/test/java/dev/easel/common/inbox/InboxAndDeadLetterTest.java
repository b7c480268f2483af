package dev.easel.common.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.support.Services;
import dev.easel.common.support.TestContracts;
import dev.easel.common.support.TestContracts.StockReserved;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.saga.CommandSucceeded;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.ReceivedEvent;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inbox and the dead-letter policy through the real Spring Cloud Stream Kafka binder: the
 * participant service of the saga tests, fed raw records by a test producer.
 */
class InboxAndDeadLetterTest {

  private static final ContractRegistry REGISTRY = ContractRegistry.withShipped(TestContracts.ALL);
  private static final String COMMANDS = "easel.stock.commands";
  private static final String REPLIES = "easel.inboxtest.replies";
  private static ConfigurableApplicationContext stock;
  private static KafkaProducer<String, byte[]> producer;

  @BeforeAll
  static void start() {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(2, COMMANDS, COMMANDS + ".dlq", REPLIES);
    stock =
        Services.stock(
            infra.newDatabase("inboxstock"),
            Map.of(
                "spring.cloud.stream.bindings.stockCommands-in-0.consumer.max-attempts", "3",
                "spring.cloud.stream.bindings.stockCommands-in-0.consumer.back-off-initial-interval",
                    "50",
                "spring.cloud.stream.bindings.stockCommands-in-0.group", "inbox-test-stock"));
    producer = KafkaClients.producer(infra.kafkaBootstrapServers());
  }

  @AfterAll
  static void stop() {
    producer.close();
    stock.close();
  }

  @Test
  void aDuplicatedMessageTakesEffectOnce() throws Exception {
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      String id = UUID.randomUUID().toString();
      String body = "{\"orderId\":\"dup\",\"sku\":\"dup-sku\"}";
      send("dup", id, "dev.easel.stock.ReserveStock.v1", body);
      send("dup", id, "dev.easel.stock.ReserveStock.v1", body);
      replies
          .andWaitForEventOfType(StockReserved.class)
          .matching(r -> r.sku().equals("dup-sku"))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
      assertThat(
              stock
                  .getBean(JdbcTemplate.class)
                  .queryForObject(
                      "SELECT count(*) FROM easel.inbox WHERE message_id = ?", Integer.class, id))
          .isEqualTo(1);
    }
  }

  @Test
  void aPoisonMessageGoesToTheDlqAfterItsAttemptsWhileLaterMessagesOnItsPartitionAreHandled() {
    try (EventStream dlq = EventStream.watch(REGISTRY, COMMANDS + ".dlq");
        EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      String key = "poison-" + UUID.randomUUID();
      String poisonId = UUID.randomUUID().toString();
      String beforeId = UUID.randomUUID().toString();
      // Sent together, so that one poll is likely to hold all three: the batch fails, and is
      // handled again record by record, so the one before the poison still takes effect once.
      producer.send(
          KafkaClients.cloudEvent(
              COMMANDS,
              key,
              beforeId,
              "dev.easel.stock.ReserveStock.v1",
              "{\"orderId\":\"" + key + "\",\"sku\":\"before-poison\"}",
              Map.of("requestid", "req-" + beforeId, "replyto", REPLIES)));
      send(key, poisonId, "dev.easel.stock.AlwaysFails.v1", "{\"note\":\"boom\"}");
      send(
          key,
          UUID.randomUUID().toString(),
          "dev.easel.stock.ReserveStock.v1",
          "{\"orderId\":\"" + key + "\",\"sku\":\"after-poison\"}");

      replies
          .andWaitForEventOfType(StockReserved.class)
          .matching(r -> r.orderId().equals(key) && r.sku().equals("after-poison"))
          .toArrive();
      ReceivedEvent<?> dead = awaitDeadLetter(dlq, poisonId);
      assertThat(
              replies.receivedOfType(StockReserved.class).stream()
                  .filter(r -> r.payload().sku().equals("before-poison")))
          .as("the record before the poison was handled once")
          .hasSize(1);
      assertThat(
              stock
                  .getBean(JdbcTemplate.class)
                  .queryForObject(
                      "SELECT count(*) FROM stock_ledger WHERE request_id = ?",
                      Integer.class,
                      "req-" + beforeId))
          .isEqualTo(1);
      assertThat(dead.header("x-exception-message")).contains("handler always fails: boom");
      assertThat(dead.header("x-original-topic")).isEqualTo(COMMANDS);
      assertThat(
              stock
                  .getBean(JdbcTemplate.class)
                  .queryForObject(
                      "SELECT count(*) FROM easel.inbox WHERE message_id = ?",
                      Integer.class,
                      poisonId))
          .as("a failed handler leaves no inbox row behind")
          .isZero();
    }
  }

  @Test
  void aMalformedMessageIsDeadLetteredAndChangesNothing() {
    try (EventStream dlq = EventStream.watch(REGISTRY, COMMANDS + ".dlq")) {
      String id = UUID.randomUUID().toString();
      send("malformed", id, "dev.easel.stock.ReserveStock.v1", "{not json");
      ReceivedEvent<?> dead = awaitDeadLetter(dlq, id);
      assertThat(dead.header("x-exception-message")).contains("unreadable data");
      assertThat(
              stock
                  .getBean(JdbcTemplate.class)
                  .queryForObject(
                      "SELECT count(*) FROM stock_ledger WHERE sku = 'malformed'", Integer.class))
          .isZero();
    }
  }

  @Test
  void anUnknownTypeIsIgnoredAndDoesNotBlockItsPartition() {
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      String key = "future-" + UUID.randomUUID();
      send(key, UUID.randomUUID().toString(), "dev.easel.stock.FromTheFuture.v9", "{\"x\":1}");
      send(
          key,
          UUID.randomUUID().toString(),
          "dev.easel.stock.ReserveStock.v1",
          "{\"orderId\":\"" + key + "\",\"sku\":\"s\",\"unknownField\":true}");
      replies
          .andWaitForEventOfType(StockReserved.class)
          .matching(r -> r.orderId().equals(key))
          .toArrive();
      replies
          .andWaitForEventOfType(CommandSucceeded.class)
          .toNotArriveWithin(Duration.ofMillis(200));
    }
  }

  private static ReceivedEvent<?> awaitDeadLetter(EventStream dlq, String messageId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (ReceivedEvent<Object> e : dlq.received()) {
        if (messageId.equals(e.header("ce_id"))) {
          return e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(ex);
      }
    }
    throw new AssertionError(
        "message " + messageId + " never reached the DLQ; saw " + dlq.received().size());
  }

  private static void send(String key, String id, String type, String body) {
    producer.send(
        KafkaClients.cloudEvent(
            COMMANDS, key, id, type, body, Map.of("requestid", "req-" + id, "replyto", REPLIES)));
    producer.flush();
  }
}
