package dev.easel.common.envelope;

import static dev.easel.contracts.CloudEventHeaders.ACTOR;
import static dev.easel.contracts.CloudEventHeaders.CAUSATION_ID;
import static dev.easel.contracts.CloudEventHeaders.CONTENT_TYPE;
import static dev.easel.contracts.CloudEventHeaders.CONTENT_TYPE_VALUE;
import static dev.easel.contracts.CloudEventHeaders.CORRELATION_ID;
import static dev.easel.contracts.CloudEventHeaders.ID;
import static dev.easel.contracts.CloudEventHeaders.REPLY_TO;
import static dev.easel.contracts.CloudEventHeaders.REQUEST_ID;
import static dev.easel.contracts.CloudEventHeaders.SAGA_ID;
import static dev.easel.contracts.CloudEventHeaders.SOURCE;
import static dev.easel.contracts.CloudEventHeaders.SPEC_VERSION;
import static dev.easel.contracts.CloudEventHeaders.SPEC_VERSION_VALUE;
import static dev.easel.contracts.CloudEventHeaders.SUBJECT;
import static dev.easel.contracts.CloudEventHeaders.TIME;
import static dev.easel.contracts.CloudEventHeaders.TRACEPARENT;
import static dev.easel.contracts.CloudEventHeaders.TYPE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes an {@link Envelope} as CloudEvents binary-mode Kafka headers and reads it back. Header
 * values are UTF-8 strings, as the Kafka protocol binding requires.
 */
public final class EnvelopeCodec {

  private EnvelopeCodec() {}

  /** The headers for an envelope, in a stable order; absent extensions are left out. */
  public static Map<String, byte[]> toHeaders(Envelope e) {
    Map<String, byte[]> h = new LinkedHashMap<>();
    put(h, SPEC_VERSION, SPEC_VERSION_VALUE);
    put(h, ID, e.id());
    put(h, SOURCE, e.source());
    put(h, TYPE, e.type());
    put(h, SUBJECT, e.subject());
    put(h, TIME, e.time() == null ? null : e.time().toString());
    put(h, CONTENT_TYPE, CONTENT_TYPE_VALUE);
    put(h, CORRELATION_ID, e.correlationId());
    put(h, CAUSATION_ID, e.causationId());
    put(h, SAGA_ID, e.sagaId());
    put(h, ACTOR, e.actor());
    put(h, TRACEPARENT, e.traceparent());
    put(h, REQUEST_ID, e.requestId());
    put(h, REPLY_TO, e.replyTo());
    return h;
  }

  /**
   * Reads an envelope from headers looked up by name. Values may arrive as {@code byte[]} (raw
   * Kafka) or {@code String} (already mapped by Spring).
   *
   * @throws MalformedEnvelopeException when a required attribute is missing or unreadable
   */
  public static Envelope fromHeaders(Function<String, Object> lookup) {
    // Spring Cloud Function may rename binary-mode headers to its canonical "ce-" prefix before a
    // function sees them; both spellings name the same attribute.
    Function<String, Object> header =
        name -> {
          Object v = lookup.apply(name);
          return v != null || !name.startsWith("ce_") ? v : lookup.apply("ce-" + name.substring(3));
        };
    String specVersion = text(header.apply(SPEC_VERSION));
    if (specVersion != null && !SPEC_VERSION_VALUE.equals(specVersion)) {
      throw new MalformedEnvelopeException("unsupported CloudEvents specversion " + specVersion);
    }
    String id = required(header, ID);
    String type = required(header, TYPE);
    String source = required(header, SOURCE);
    String time = text(header.apply(TIME));
    Instant at;
    try {
      at = time == null ? null : Instant.parse(time);
    } catch (DateTimeParseException e) {
      throw new MalformedEnvelopeException("ce_time is not an RFC 3339 timestamp: " + time);
    }
    return new Envelope(
        id,
        type,
        source,
        text(header.apply(SUBJECT)),
        at,
        text(header.apply(CORRELATION_ID)),
        text(header.apply(CAUSATION_ID)),
        text(header.apply(SAGA_ID)),
        text(header.apply(ACTOR)),
        text(header.apply(TRACEPARENT)),
        text(header.apply(REQUEST_ID)),
        text(header.apply(REPLY_TO)));
  }

  private static String required(Function<String, Object> header, String name) {
    String v = text(header.apply(name));
    if (v == null || v.isBlank()) {
      throw new MalformedEnvelopeException("missing CloudEvents header " + name);
    }
    return v;
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return value.toString();
  }

  private static void put(Map<String, byte[]> h, String name, String value) {
    if (value != null) {
      h.put(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
