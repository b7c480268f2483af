package dev.easel.nodes.support;

import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Sends commands to node-discovery on {@code easel.nodes.commands} as a saga would: a CloudEvent
 * with a saga id, request id {@code req-<key>} and a reply topic of the test's own.
 */
public final class NodeCommands implements AutoCloseable {

  public static final String TOPIC = "easel.nodes.commands";

  private final KafkaProducer<String, byte[]> producer;
  private final String replies;

  private NodeCommands(String replies) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, TOPIC, replies);
    this.producer = KafkaClients.producer(infra.kafkaBootstrapServers());
    this.replies = replies;
  }

  /** Commands whose answers go to {@code replies}. */
  public static NodeCommands answeredOn(String replies) {
    return new NodeCommands(replies);
  }

  /** Sends one command keyed by {@code key}; its request id is {@code req-<key>}. */
  public void send(String key, String type, String body) {
    send(UUID.randomUUID().toString(), key, type, body);
  }

  /** The same, with the message id given, so a test can send a duplicate. */
  public void send(String messageId, String key, String type, String body) {
    producer.send(
        KafkaClients.cloudEvent(
            TOPIC,
            key,
            messageId,
            type,
            body,
            Map.of(
                "sagaid",
                UUID.randomUUID().toString(),
                "requestid",
                "req-" + key,
                "replyto",
                replies)));
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
