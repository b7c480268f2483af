package dev.easel.common.outbox;

import dev.easel.common.envelope.EnvelopeCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox batches with an idempotent producer. The relay closes it after a failed batch, so
 * the next attempt starts with fresh producer state rather than a sequence the broker has given up
 * on; closing abandons whatever was still pending, and the relay sends those rows again.
 */
public final class KafkaOutboxSender implements OutboxSender {

  private static final Logger log = LoggerFactory.getLogger(KafkaOutboxSender.class);

  private final Properties config;
  private KafkaProducer<String, byte[]> producer;
  private volatile boolean broken;

  public KafkaOutboxSender(
      String bootstrapServers, String clientId, Map<String, Object> overrides) {
    config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // Up to five requests in flight: the idempotent producer keeps them in order per partition,
    // retries included. What once broke order with five (an account's event landing behind the
    // eight after it, in the broker outage test) was a record refused before it left while later
    // ones went on; the first refusal now closes the producer from its callback instead.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // No linger: with requests in flight side by side, a saga step's event and command leave at
    // once rather than one after the other's acknowledgement, or after a millisecond's wait.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    // Records are never expired by the producer. An expired batch lets the idempotent producer
    // reset its sequence and deliver a later record of the same partition, which would overtake
    // the expired one. Instead the relay bounds its own wait and force-closes the producer: what
    // was written then is always a per-partition prefix of what was sent.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    // While the broker is down, a send that needs metadata fails in seconds, not two minutes.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.putAll(overrides);
  }

  @Override
  public Flight send(List<OutboxRecord> batch, Runnable answered) {
    if (producer == null) {
      producer = new KafkaProducer<>(config);
      broken = false;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    if (broken) {
      // A record before these was not taken or was refused; handing these over could let them
      // overtake it. The relay resets the sender and sends them all again, in order.
      answered.run();
      return new KafkaFlight(batch, acks);
    }
    AtomicInteger unanswered = new AtomicInteger(batch.size());
    KafkaProducer<String, byte[]> sending = producer;
    KafkaFlight flight = new KafkaFlight(batch, acks);
    try {
      for (int i = 0; i < batch.size(); i++) {
        OutboxRecord r = batch.get(i);
        int at = i;
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(r.topic(), null, r.key(), r.payload());
        EnvelopeCodec.toHeaders(r.envelope())
            .forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
        Callback callback =
            (metadata, error) -> {
              if (error == null) {
                flight.acknowledgedAt[at] = Instant.now();
              } else if (!broken) {
                broken = true;
                log.warn(
                    "broker refused an outbox record; resetting the producer: {}",
                    error.toString());
                // A later batch of the same partition may already wait in the producer; after
                // some refusals it would be written while this one is not. Closing from the
                // callback aborts it before it leaves; the relay sends both again, in order.
                sending.close(Duration.ZERO);
              }
              if (unanswered.decrementAndGet() == 0) {
                answered.run();
              }
            };
        acks.add(producer.send(record, callback));
      }
    } catch (RuntimeException e) {
      // Nothing after this record was handed to the producer, so order is kept.
      log.warn("outbox send failed: {}", e.toString());
      broken = true;
      answered.run();
    }
    return flight;
  }

  /** The answers to one batch; records the producer never took count as unanswered. */
  private static final class KafkaFlight implements Flight {
    private final List<OutboxRecord> records;
    private final List<Future<RecordMetadata>> acks;
    private final long sentAt = System.nanoTime();
    private final Instant[] acknowledgedAt;
    private int acknowledged = -1;

    KafkaFlight(List<OutboxRecord> records, List<Future<RecordMetadata>> acks) {
      this.records = records;
      this.acks = acks;
      this.acknowledgedAt = new Instant[records.size()];
    }

    @Override
    public Instant acknowledgedAt(int index) {
      return acknowledgedAt[index];
    }

    @Override
    public Duration age() {
      return Duration.ofNanos(System.nanoTime() - sentAt);
    }

    @Override
    public List<OutboxRecord> records() {
      return records;
    }

    @Override
    public boolean isDone() {
      return acknowledged >= 0 || acks.stream().allMatch(Future::isDone);
    }

    @Override
    public int awaitAcknowledged(Duration timeout) {
      if (acknowledged >= 0) {
        return acknowledged;
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      int n = 0;
      for (Future<RecordMetadata> ack : acks) {
        try {
          ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          n++;
        } catch (TimeoutException e) {
          log.warn("broker did not acknowledge outbox records within {}", timeout);
          return n; // not final: a later wait may see more
        } catch (ExecutionException e) {
          log.warn("broker refused outbox record: {}", e.getCause().toString());
          break;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return n;
        }
      }
      acknowledged = n;
      return n;
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } finally {
        producer = null;
      }
    }
  }
}
