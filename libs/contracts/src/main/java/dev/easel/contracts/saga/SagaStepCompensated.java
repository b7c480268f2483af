package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga step's compensation succeeded. */
@Contract(
    value = "dev.easel.saga.SagaStepCompensated.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga step's compensation succeeded.")
public record SagaStepCompensated(
    UUID sagaId, String sagaType, int step, String stepName, Instant at) {}
