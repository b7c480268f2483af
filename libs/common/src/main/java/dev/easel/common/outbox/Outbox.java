package dev.easel.common.outbox;

import java.util.List;
import java.util.UUID;

/**
 * Appends messages to the outbox inside the caller's database transaction, so a state change and
 * the events that announce it commit together or not at all. The relay publishes them after commit.
 */
public interface Outbox {

  /**
   * Appends an event about an aggregate of this service's context to {@code
   * easel.<context>.events}, keyed by the aggregate id.
   *
   * @return the event's message id
   * @throws IllegalStateException when no transaction is active
   */
  UUID publishEvent(String aggregateId, Object event);

  /** Appends one message; see {@link #publishEvent}. */
  UUID append(OutboundMessage message);

  /** Appends several messages in one batched insert, in order. */
  List<UUID> appendAll(List<OutboundMessage> messages);
}
