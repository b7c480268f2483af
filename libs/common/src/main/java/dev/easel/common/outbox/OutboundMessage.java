package dev.easel.common.outbox;

import java.util.Objects;
import java.util.UUID;

/**
 * A message to append to the outbox. Correlation, causation, actor and trace come from the message
 * being handled unless set here.
 *
 * @param topic the destination topic
 * @param key the Kafka key, the aggregate id; it keeps per-aggregate order
 * @param payload a registered contract record
 * @param sagaId the saga a command or reply belongs to, or null
 * @param requestId the idempotency key of a saga command or reply, or null
 * @param replyTo where a participant should reply, or null
 * @param correlationId overrides the inherited correlation id, or null
 * @param causationId overrides the inherited cause, or null
 * @param actor overrides the inherited actor, or null
 * @param id the message id to use, or null for a fresh one; a saga names its commands' ids before
 *     it sends them so that it can match the replies
 * @param parentTrace the trace this message is a span of, or null to inherit it; a saga names its
 *     own, so that what it sends from a deadline, with nothing to inherit from, stays in its trace
 */
public record OutboundMessage(
    String topic,
    String key,
    Object payload,
    String sagaId,
    String requestId,
    String replyTo,
    String correlationId,
    String causationId,
    String actor,
    UUID id,
    String parentTrace) {

  public OutboundMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payload, "payload");
  }

  /** A plain message with everything else inherited. */
  public static OutboundMessage of(String topic, String key, Object payload) {
    return new OutboundMessage(topic, key, payload, null, null, null, null, null, null, null, null);
  }
}
