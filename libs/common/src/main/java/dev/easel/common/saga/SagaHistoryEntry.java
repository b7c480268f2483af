package dev.easel.common.saga;

import java.time.Instant;

/**
 * One line of a saga's history, for UIs and operators.
 *
 * @param step the step index
 * @param stepName the step's name
 * @param entry what happened, such as {@code ACTION_SENT} or {@code COMPENSATED}
 * @param detail a reason or an attempt number, or null
 * @param at when
 */
public record SagaHistoryEntry(
    int step, String stepName, String entry, String detail, Instant at) {}
