package dev.easel.audit.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * An event as it arrived, before it is chained: its CloudEvents attributes and its data, byte for
 * byte.
 *
 * @param topic the topic it was read from, for people
 */
public record AuditEvent(
    String eventId,
    String type,
    String source,
    String subject,
    String actor,
    Instant time,
    String topic,
    byte[] data) {

  public AuditEvent {
    Objects.requireNonNull(eventId, "eventId");
    data = data == null ? new byte[0] : data;
    // PostgreSQL keeps microseconds; the hash is of what is kept.
    time = time == null ? null : time.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }
}
