package dev.easel.nodes.support;

import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.TestPlanKeys;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Sends commands to node-discovery on {@code easel.nodes.commands} as a saga would: a CloudEvent
 * from cluster-former ({@link #CLUSTER_FORMER}) with a saga id, request id {@code req-<key>} and a
 * reply topic of the test's own.
 */
public final class NodeCommands implements AutoCloseable {

  public static final String TOPIC = "easel.nodes.commands";

  /** The source of cluster-former's commands, which node-discovery obeys for plans. */
  public static final String CLUSTER_FORMER = "/easel/cluster-former";

  /** Seals as senders seal: to the public half of the test JVM's plan key. */
  public static final PlanSealing SEALING =
      PlanSealing.fromPublicKeyFile(TestPlanKeys.publicKeyFile().toString());

  private final KafkaProducer<String, byte[]> producer;
  private final String replies;
  private final String topic;
  private final String source;

  private NodeCommands(String topic, String replies, String source) {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, topic, replies);
    this.producer = KafkaClients.producer(infra.kafkaBootstrapServers());
    this.replies = replies;
    this.topic = topic;
    this.source = source;
  }

  /** Commands whose answers go to {@code replies}. */
  public static NodeCommands answeredOn(String replies) {
    return new NodeCommands(TOPIC, replies, CLUSTER_FORMER);
  }

  /**
   * Commands on a topic of the test's own, for a service started to read it (its binding {@code
   * nodeCommands-in-0} pointed there), so that the shared service never takes them.
   */
  public static NodeCommands onTopic(String topic, String replies) {
    return new NodeCommands(topic, replies, CLUSTER_FORMER);
  }

  /** Commands answered on {@code replies}, sent as the service with this source would send them. */
  public static NodeCommands from(String source, String replies) {
    return new NodeCommands(TOPIC, replies, source);
  }

  /** A secret file's content sealed for its plan, step and path, as a sender seals it. */
  public static String sealed(String planId, String stepId, String path, String content) {
    return PlanSecrets.sealer(PlanSecrets.readPublicKey(TestPlanKeys.publicKeyFile()))
        .seal(planId, stepId, path, content);
  }

  /** Sends one command keyed by {@code key}; its request id is {@code req-<key>}. */
  public void send(String key, String type, String body) {
    send(UUID.randomUUID().toString(), key, type, body);
  }

  /** The same, with the message id given, so a test can send a duplicate. */
  public void send(String messageId, String key, String type, String body) {
    producer.send(
        KafkaClients.cloudEvent(
            topic,
            key,
            messageId,
            type,
            body,
            source,
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
