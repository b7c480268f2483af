package dev.easel.common.support;

import dev.easel.common.inbox.InboxProcessor;
import dev.easel.common.support.TestContracts.EntryRecorded;
import dev.easel.testing.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.springframework.messaging.Message;

/**
 * A real Kafka consumer feeding the inbox, whose handler appends to a ledger table: the effect
 * whose exactly-once-ness the reliability tests check.
 */
public final class LedgerConsumer implements AutoCloseable {

  public final AtomicInteger deliveries = new AtomicInteger();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean open = true;

  public LedgerConsumer(Backbone backbone, String bootstrap, String topic) {
    InboxProcessor inbox =
        new InboxProcessor(
            backbone.jdbc, backbone.tx, backbone.registry, backbone.json, backbone.meters);
    Consumer<Message<byte[]>> handler =
        inbox.recordConsumer(
            "ledger",
            h ->
                h.on(
                    EntryRecorded.class,
                    m ->
                        backbone.jdbc.update(
                            "INSERT INTO ledger (message_id, account, seq) VALUES (?, ?, ?)",
                            m.envelope().id(),
                            m.payload().account(),
                            m.payload().seq())));
    consumer = KafkaClients.assignedConsumer(bootstrap, List.of(topic));
    consumer.seekToBeginning(consumer.assignment());
    thread =
        new Thread(
            () -> {
              try {
                while (open) {
                  for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    deliveries.incrementAndGet();
                    handler.accept(Backbone.asMessage(r));
                  }
                }
              } catch (WakeupException e) {
                // closing
              } finally {
                consumer.close(Duration.ZERO);
              }
            },
            "ledger-consumer");
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    open = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
