package dev.easel.common.inbox;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.EnvelopeCodec;
import dev.easel.common.envelope.MalformedEnvelopeException;
import dev.easel.common.envelope.MessageContext;
import dev.easel.contracts.ContractRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Turns handlers into an idempotent Spring Cloud Stream consumer.
 *
 * <p>Each message runs in one database transaction that first records its id in {@code
 * easel.inbox}: a duplicate finds the row and is skipped, and a handler that fails rolls the marker
 * back with its own effects, so the redelivery runs it again. Thrown exceptions go back to the
 * binder, which retries with backoff and then dead-letters to {@code <topic>.dlq}; a message that
 * can never succeed ({@link MalformedEnvelopeException}) is not retried.
 */
public final class InboxProcessor {

  private static final Logger log = LoggerFactory.getLogger(InboxProcessor.class);

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

  /** A consumer named for its inbox rows and metrics, with handlers declared by the caller. */
  public Consumer<Message<byte[]>> consumer(String name, UnaryOperator<Handlers> declare) {
    Handlers handlers = declare.apply(new Handlers());
    Counter handled = Counter.builder("easel.inbox.handled").tag("consumer", name).register(meters);
    Counter duplicates =
        Counter.builder("easel.inbox.duplicates").tag("consumer", name).register(meters);
    Counter ignored = Counter.builder("easel.inbox.ignored").tag("consumer", name).register(meters);
    Timer timer = Timer.builder("easel.inbox.handle").tag("consumer", name).register(meters);
    return message ->
        timer.record(
            () -> {
              Outcome outcome = process(name, handlers, message);
              switch (outcome) {
                case HANDLED -> handled.increment();
                case DUPLICATE -> duplicates.increment();
                case IGNORED -> ignored.increment();
              }
            });
  }

  private Outcome process(String name, Handlers handlers, Message<byte[]> message) {
    Envelope envelope = EnvelopeCodec.fromHeaders(message.getHeaders()::get);
    Optional<Class<?>> type = registry.classOf(envelope.type());
    Optional<MessageHandler<Object>> handler = type.flatMap(handlers::find);
    if (handler.isEmpty()) {
      log.debug("{} ignores message type {}", name, envelope.type());
      return Outcome.IGNORED;
    }
    Object payload = decode(envelope, type.get(), message.getPayload());
    String topic = header(message, KafkaHeaders.RECEIVED_TOPIC);
    String key = header(message, KafkaHeaders.RECEIVED_KEY);
    InboundMessage<Object> inbound = new InboundMessage<>(envelope, payload, topic, key);
    Boolean fresh =
        tx.execute(
            status -> {
              int inserted =
                  jdbc.update(
                      "INSERT INTO easel.inbox (consumer, message_id, type) VALUES (?, ?, ?)"
                          + " ON CONFLICT DO NOTHING",
                      name,
                      envelope.id(),
                      envelope.type());
              if (inserted == 0) {
                return false;
              }
              MessageContext.runWith(envelope, () -> handler.get().handle(inbound));
              return true;
            });
    return Boolean.TRUE.equals(fresh) ? Outcome.HANDLED : Outcome.DUPLICATE;
  }

  private Object decode(Envelope envelope, Class<?> type, byte[] payload) {
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

  private static String header(Message<?> message, String name) {
    Object v = message.getHeaders().get(name);
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : v.toString();
  }

  private enum Outcome {
    HANDLED,
    DUPLICATE,
    IGNORED
  }
}
