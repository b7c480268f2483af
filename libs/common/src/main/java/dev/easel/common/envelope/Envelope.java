package dev.easel.common.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * The CloudEvents attributes and Easel extensions of one message. The data travels beside it.
 *
 * @param id unique per message; consumers deduplicate on it
 * @param type {@code dev.easel.<context>.<Name>.v<N>}
 * @param source the emitting service, as {@code /easel/<service>}
 * @param subject the aggregate the message is about, also the Kafka key
 * @param time when the message was emitted
 * @param correlationId shared by every message one request set off
 * @param causationId the message whose handling emitted this one
 * @param sagaId the saga a command or reply belongs to
 * @param actor who asked
 * @param traceparent W3C trace context
 * @param requestId the idempotency key of a saga command and its reply
 * @param replyTo the topic a reply goes to
 */
public record Envelope(
    String id,
    String type,
    String source,
    String subject,
    Instant time,
    String correlationId,
    String causationId,
    String sagaId,
    String actor,
    String traceparent,
    String requestId,
    String replyTo) {

  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
  }
}
