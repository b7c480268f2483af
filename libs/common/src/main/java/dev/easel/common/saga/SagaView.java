package dev.easel.common.saga;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A saga as UIs and operators see it.
 *
 * @param id the saga id
 * @param type the definition's name
 * @param status where it stands
 * @param step the current step index
 * @param stepName the current step's name
 * @param attempts tries of the current step's action or compensation
 * @param data the saga's data as JSON
 * @param failureReason why it is compensating, compensated or failed
 * @param deadline when the current try expires
 * @param createdAt when it started
 * @param updatedAt its last transition
 * @param finishedAt when it reached a terminal state
 * @param history every transition, oldest first
 */
public record SagaView(
    UUID id,
    String type,
    SagaStatus status,
    int step,
    String stepName,
    int attempts,
    String data,
    String failureReason,
    Instant deadline,
    Instant createdAt,
    Instant updatedAt,
    Instant finishedAt,
    List<SagaHistoryEntry> history) {}
