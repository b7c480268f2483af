package dev.easel.audit.domain;

import java.time.Instant;

/**
 * One link of the chain.
 *
 * @param seq its place, from 1, without gaps
 * @param dataHash SHA-256 of the event's data, hex
 * @param prevHash the previous record's hash, hex; {@link HashChain#GENESIS} for the first
 * @param hash SHA-256 of {@code prevHash} and the record's canonical form, hex
 */
public record AuditRecord(
    long seq,
    String eventId,
    String type,
    String source,
    String subject,
    String actor,
    Instant time,
    String topic,
    byte[] data,
    String dataHash,
    String prevHash,
    String hash) {}
