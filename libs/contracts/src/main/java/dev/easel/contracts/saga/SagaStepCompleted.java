package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga step's action succeeded. */
@Contract(
    value = "dev.easel.saga.SagaStepCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga step's action succeeded.")
public record SagaStepCompleted(
    UUID sagaId, String sagaType, int step, String stepName, Instant at) {}
