package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga step's action failed, timed out or was refused after its retries. */
@Contract(
    value = "dev.easel.saga.SagaStepFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga step's action failed, timed out or was refused after its retries.")
public record SagaStepFailed(
    UUID sagaId,
    String sagaType,
    int step,
    String stepName,
    String reason,
    boolean timedOut,
    Instant at) {}
