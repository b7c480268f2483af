package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A compensation kept failing; the saga needs an operator. */
@Contract(
    value = "dev.easel.saga.SagaFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A compensation kept failing; the saga needs an operator.")
public record SagaFailed(
    UUID sagaId, String sagaType, int step, String stepName, String reason, Instant at) {}
