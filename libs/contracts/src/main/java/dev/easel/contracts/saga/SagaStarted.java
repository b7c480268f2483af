package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** An orchestrated saga started. */
@Contract(
    value = "dev.easel.saga.SagaStarted.v1",
    kind = Contract.Kind.EVENT,
    description = "An orchestrated saga started.")
public record SagaStarted(UUID sagaId, String sagaType, int steps, Instant at) {}
