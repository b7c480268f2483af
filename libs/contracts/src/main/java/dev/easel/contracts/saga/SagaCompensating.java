package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga began undoing its completed steps in reverse order. */
@Contract(
    value = "dev.easel.saga.SagaCompensating.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga began undoing its completed steps in reverse order.")
public record SagaCompensating(UUID sagaId, String sagaType, String reason, Instant at) {}
