package dev.easel.audit.adapters.in.messaging;

import dev.easel.audit.application.Chaining;
import dev.easel.audit.domain.AuditEvent;
import dev.easel.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * Reads every {@code easel.*.events} topic (a pattern, so a service added later is audited with no
 * change here) and chains what arrives, a batch at a time. An event is taken as it is: its type
 * need not be one this service knows. A record without a CloudEvents id cannot be deduplicated and
 * is left out, with a warning.
 */
@Configuration
class EventsConsumer {

  private static final Logger log = LoggerFactory.getLogger(EventsConsumer.class);

  @Bean
  Consumer<Message<List<byte[]>>> auditEvents(Chaining chaining) {
    return message -> chaining.append(events(message));
  }

  @SuppressWarnings("unchecked")
  static List<AuditEvent> events(Message<List<byte[]>> message) {
    List<byte[]> payloads = message.getPayload();
    Object converted = message.getHeaders().get(KafkaHeaders.BATCH_CONVERTED_HEADERS);
    List<Map<String, Object>> headers =
        converted instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    Object topics = message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC);
    List<AuditEvent> out = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      Map<String, Object> h = i < headers.size() ? headers.get(i) : Map.of();
      String id = text(h.get(CloudEventHeaders.ID));
      String topic =
          topics instanceof List<?> t && i < t.size()
              ? String.valueOf(t.get(i))
              : text(h.get(KafkaHeaders.RECEIVED_TOPIC));
      if (id == null) {
        log.warn("a record on {} has no ce_id; it cannot be audited once and is left out", topic);
        continue;
      }
      out.add(
          new AuditEvent(
              id,
              text(h.get(CloudEventHeaders.TYPE)),
              text(h.get(CloudEventHeaders.SOURCE)),
              text(h.get(CloudEventHeaders.SUBJECT)),
              text(h.get(CloudEventHeaders.ACTOR)),
              time(text(h.get(CloudEventHeaders.TIME))),
              topic,
              payloads.get(i)));
    }
    return out;
  }

  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return value.toString();
  }
}
