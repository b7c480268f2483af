package dev.easel.common.inbox;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.EnvelopeCodec;
import dev.easel.common.envelope.MalformedEnvelopeException;
import dev.easel.common.envelope.MessageContext;
import dev.easel.contracts.ContractRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns handlers into an idempotent Spring Cloud Stream consumer of record batches.
 *
 * <p>The records of one poll are handled in one database transaction, each with its own row in
 * {@code easel.inbox}: a record whose id is there already is a duplicate and is skipped, and the
 * batch's effects commit together, so one commit (one fsync) serves the whole poll. When a handler
 * fails, the batch rolls back and is handled again one record per transaction, in order; the
 * records before the failing one commit, and the failing one is reported by its index ({@link
 * BatchListenerFailedException}) so that the container retries only it, with backoff, then
 * dead-letters it to {@code <topic>.dlq} and goes on with the rest. A record that can never be
 * handled ({@link MalformedEnvelopeException}) is dead-lettered without retries. Per-key order
 * holds throughout: a partition's records are handled in offset order, and none after a failing
 * record is handled before it is resolved.
 */
public final class InboxProcessor {

  private static final Logger log = LoggerFactory.getLogger(InboxProcessor.class);

  private static final String INSERT_INBOX =
      "INSERT INTO easel.inbox (consumer, message_id, type)"
          + " SELECT ?, m, t FROM unnest(?::text[], ?::text[]) AS u(m, t)"
          + " ON CONFLICT DO NOTHING RETURNING message_id";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final ContractRegistry registry;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  public InboxProcessor(
      JdbcTemplate jdbc,
      TransactionTemplate tx,
      ContractRegistry registry,
      ObjectMapper json,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.registry = registry;
    this.json = json;
    this.meters = meters;
  }

  /**
   * A batch consumer named for its inbox rows and metrics, with handlers declared by the caller.
   * Its binding runs in batch mode, which {@code EaselStreamDefaults} sets for every input.
   */
  public Consumer<Message<List<byte[]>>> consumer(String name, UnaryOperator<Handlers> declare) {
    Handlers handlers = declare.apply(new Handlers());
    Meters m = new Meters(name, meters);
    return message -> m.batch.record(() -> process(name, handlers, m, message));
  }

  /** Handles records one at a time, outside Spring Cloud Stream (tests and tools). */
  public Consumer<Message<byte[]>> recordConsumer(String name, UnaryOperator<Handlers> declare) {
    Consumer<Message<List<byte[]>>> batch = consumer(name, declare);
    return message -> {
      Map<String, Object> headers = new java.util.HashMap<>(message.getHeaders());
      headers.put(KafkaHeaders.BATCH_CONVERTED_HEADERS, List.of(message.getHeaders()));
      batch.accept(
          org.springframework.messaging.support.MessageBuilder.createMessage(
              List.of(message.getPayload()), new MessageHeaders(headers)));
    };
  }

  private void process(String name, Handlers handlers, Meters m, Message<List<byte[]>> message) {
    List<byte[]> payloads = message.getPayload();
    List<Function<String, Object>> headers = recordHeaders(message.getHeaders(), payloads.size());
    List<Inbound> batch = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      Inbound in;
      try {
        in = decode(handlers, headers.get(i), payloads.get(i));
      } catch (MalformedEnvelopeException e) {
        // Everything before it is handled and committed; it goes to the DLQ without retries.
        handle(name, handlers, m, batch, 0);
        throw new BatchListenerFailedException(e.getMessage(), e, i);
      }
      batch.add(in);
    }
    handle(name, handlers, m, batch, 0);
  }

  /** The batch in one transaction; if that fails, each record in its own, in order. */
  private void handle(String name, Handlers handlers, Meters m, List<Inbound> batch, int offset) {
    if (batch.stream().allMatch(in -> in.handler == null)) {
      m.ignored.increment(batch.size());
      return;
    }
    m.size.record(batch.size());
    try {
      inTransaction(name, handlers, m, batch);
      return;
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        throw new BatchListenerFailedException(
            "message " + batch.get(0).envelope.id() + " failed: " + e.getMessage(), e, offset);
      }
      log.debug("{}: a batch of {} failed; handling it one record at a time", name, batch.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      handle(name, handlers, m, List.of(batch.get(i)), offset + i);
    }
  }

  private void inTransaction(String name, Handlers handlers, Meters m, List<Inbound> batch) {
    tx.executeWithoutResult(
        status -> {
          Set<String> fresh = markReceived(name, batch);
          int duplicates = 0;
          int ignored = 0;
          List<InboundMessage<Object>> together = new ArrayList<>();
          for (Inbound in : batch) {
            if (in.handler == null) {
              ignored++;
            } else if (!fresh.remove(in.envelope.id())) {
              duplicates++;
            } else if (handlers.batch() != null) {
              together.add(in.message());
            } else {
              MessageContext.runWith(in.envelope, () -> in.handler.handle(in.message()));
            }
          }
          if (!together.isEmpty()) {
            handlers.batch().accept(together);
          }
          int d = duplicates;
          int ig = ignored;
          // Counted once the effects are sure to be kept.
          org.springframework.transaction.support.TransactionSynchronizationManager
              .registerSynchronization(
                  new org.springframework.transaction.support.TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                      m.handled.increment(batch.size() - d - ig);
                      m.duplicates.increment(d);
                      m.ignored.increment(ig);
                    }
                  });
        });
  }

  /** Records the handled records' ids in one statement; returns the ids seen for the first time. */
  private Set<String> markReceived(String name, List<Inbound> batch) {
    List<String> ids = new ArrayList<>();
    List<String> types = new ArrayList<>();
    for (Inbound in : batch) {
      if (in.handler != null) {
        ids.add(in.envelope.id());
        types.add(in.envelope.type());
      }
    }
    Set<String> fresh = new HashSet<>();
    jdbc.query(
        INSERT_INBOX,
        ps -> {
          Array idArray = ps.getConnection().createArrayOf("text", ids.toArray());
          Array typeArray = ps.getConnection().createArrayOf("text", types.toArray());
          ps.setString(1, name);
          ps.setArray(2, idArray);
          ps.setArray(3, typeArray);
        },
        (org.springframework.jdbc.core.RowCallbackHandler) rs -> fresh.add(rs.getString(1)));
    return fresh;
  }

  private Inbound decode(Handlers handlers, Function<String, Object> header, byte[] payload) {
    Envelope envelope = EnvelopeCodec.fromHeaders(header);
    Optional<Class<?>> type = registry.classOf(envelope.type());
    Optional<MessageHandler<Object>> handler = type.flatMap(handlers::find);
    if (handler.isEmpty()) {
      log.debug("ignoring message type {}", envelope.type());
      return new Inbound(envelope, null, null, null, null);
    }
    Object decoded = read(envelope, type.get(), payload);
    return new Inbound(
        envelope,
        decoded,
        text(header.apply(KafkaHeaders.RECEIVED_TOPIC)),
        text(header.apply(KafkaHeaders.RECEIVED_KEY)),
        handler.get());
  }

  private Object read(Envelope envelope, Class<?> type, byte[] payload) {
    if (payload == null || payload.length == 0) {
      throw new MalformedEnvelopeException("message " + envelope.id() + " has no data");
    }
    try {
      return json.readValue(payload, type);
    } catch (JacksonException e) {
      throw new MalformedEnvelopeException(
          "message " + envelope.id() + " of type " + envelope.type() + " has unreadable data", e);
    }
  }

  /**
   * Each record's headers, from a batch message. The binder gives them as one map per record
   * ({@code kafka_batchConvertedHeaders}), or as the raw Kafka headers; the topic and key come as
   * lists beside them.
   */
  @SuppressWarnings("unchecked")
  private static List<Function<String, Object>> recordHeaders(MessageHeaders headers, int n) {
    Object converted = headers.get(KafkaHeaders.BATCH_CONVERTED_HEADERS);
    Object nativeHeaders = headers.get(KafkaHeaders.NATIVE_HEADERS);
    List<?> topics = listOrNull(headers.get(KafkaHeaders.RECEIVED_TOPIC));
    List<?> keys = listOrNull(headers.get(KafkaHeaders.RECEIVED_KEY));
    List<Function<String, Object>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int at = i;
      Function<String, Object> own;
      if (converted instanceof List<?> maps && maps.size() == n) {
        Map<String, Object> map = (Map<String, Object>) maps.get(at);
        own = map::get;
      } else if (nativeHeaders instanceof List<?> raw && raw.size() == n) {
        Headers kafka = (Headers) raw.get(at);
        own =
            name -> {
              Header h = kafka.lastHeader(name);
              return h == null ? null : h.value();
            };
      } else {
        throw new MalformedEnvelopeException(
            "a batch of " + n + " records came without per-record headers");
      }
      out.add(
          name -> {
            if (KafkaHeaders.RECEIVED_TOPIC.equals(name) && topics != null) {
              return topics.get(at);
            }
            if (KafkaHeaders.RECEIVED_KEY.equals(name) && keys != null) {
              return keys.get(at);
            }
            Object v = own.apply(name);
            return v != null ? v : n == 1 ? headers.get(name) : null;
          });
    }
    return out;
  }

  private static List<?> listOrNull(Object v) {
    return v instanceof List<?> l ? l : null;
  }

  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString();
  }

  /** One decoded record; {@code handler} is null for a type this consumer ignores. */
  private record Inbound(
      Envelope envelope, Object payload, String topic, String key, MessageHandler<Object> handler) {

    InboundMessage<Object> message() {
      return new InboundMessage<>(envelope, payload, topic, key);
    }
  }

  private static final class Meters {
    final Counter handled;
    final Counter duplicates;
    final Counter ignored;
    final Timer batch;
    final DistributionSummary size;

    Meters(String name, MeterRegistry registry) {
      handled = Counter.builder("easel.inbox.handled").tag("consumer", name).register(registry);
      duplicates =
          Counter.builder("easel.inbox.duplicates").tag("consumer", name).register(registry);
      ignored = Counter.builder("easel.inbox.ignored").tag("consumer", name).register(registry);
      batch = Timer.builder("easel.inbox.batch").tag("consumer", name).register(registry);
      size =
          DistributionSummary.builder("easel.inbox.batch.size")
              .tag("consumer", name)
              .register(registry);
    }
  }
}
