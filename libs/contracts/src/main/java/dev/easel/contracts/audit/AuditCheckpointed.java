package dev.easel.contracts.audit;

import dev.easel.contracts.Contract;
import java.time.Instant;

/**
 * The head of the audit log's hash chain at a moment. A copy of these kept elsewhere proves that
 * the chain up to {@code seq} was not rewritten afterwards: verifying it must reach the same hash.
 *
 * @param seq the last record's place in the chain
 * @param hash that record's hash, hex SHA-256
 */
@Contract(
    value = "dev.easel.audit.AuditCheckpointed.v1",
    kind = Contract.Kind.EVENT,
    description = "The audit chain's head: its last seq and hash.")
public record AuditCheckpointed(long seq, String hash, Instant at) {}
