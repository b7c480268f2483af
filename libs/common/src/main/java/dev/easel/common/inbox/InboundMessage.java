package dev.easel.common.inbox;

import dev.easel.common.envelope.Envelope;

/**
 * A decoded message handed to a handler.
 *
 * @param envelope its attributes and extensions
 * @param payload the contract record
 * @param topic where it came from
 * @param key its Kafka key
 */
public record InboundMessage<T>(Envelope envelope, T payload, String topic, String key) {}
