package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga finished every step. */
@Contract(
    value = "dev.easel.saga.SagaCompleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga finished every step.")
public record SagaCompleted(UUID sagaId, String sagaType, Instant at) {}
