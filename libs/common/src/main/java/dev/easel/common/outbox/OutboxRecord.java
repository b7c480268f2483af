package dev.easel.common.outbox;

import dev.easel.common.envelope.Envelope;

/**
 * An unpublished outbox row, ready to send.
 *
 * @param seq the outbox sequence, which orders rows
 * @param topic destination topic
 * @param key Kafka key
 * @param envelope attributes and extensions
 * @param payload JSON bytes of the data
 */
public record OutboxRecord(long seq, String topic, String key, Envelope envelope, byte[] payload) {}
