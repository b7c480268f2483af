package dev.easel.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests and benchmarks: string keys, raw byte values, no group. */
public final class KafkaClients {

  private KafkaClients() {}

  /** A consumer without a group, assigned every partition of the topics. */
  public static KafkaConsumer<String, byte[]> assignedConsumer(
      String bootstrap, List<String> topics) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(topic, i.partition()))
          .forEach(partitions::add);
    }
    consumer.assign(partitions);
    return consumer;
  }

  /**
   * A CloudEvents binary-mode record, as another service would send it: the required attributes
   * (source {@code /easel/test}, time now) plus the given extensions, each as a {@code ce_} header.
   */
  public static ProducerRecord<String, byte[]> cloudEvent(
      String topic,
      String key,
      String id,
      String type,
      String body,
      Map<String, String> extensions) {
    return cloudEvent(topic, key, id, type, body, "/easel/test", extensions);
  }

  /**
   * The same from another {@code source}, {@code /easel/<service>}: a command as the service it
   * comes from sends it, for a receiver that obeys only some senders.
   */
  public static ProducerRecord<String, byte[]> cloudEvent(
      String topic,
      String key,
      String id,
      String type,
      String body,
      String source,
      Map<String, String> extensions) {
    ProducerRecord<String, byte[]> r =
        new ProducerRecord<>(topic, key, body.getBytes(StandardCharsets.UTF_8));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", "1.0");
    headers.put("ce_id", id);
    headers.put("ce_source", source);
    headers.put("ce_type", type);
    headers.put("ce_time", Instant.now().toString());
    extensions.forEach((k, v) -> headers.put("ce_" + k, v));
    headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    return r;
  }

  /** An idempotent producer that waits for every replica. */
  public static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(p);
  }
}
