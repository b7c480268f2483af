package dev.easel.contracts.saga;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A saga failed and every completed step was undone. */
@Contract(
    value = "dev.easel.saga.SagaCompensated.v1",
    kind = Contract.Kind.EVENT,
    description = "A saga failed and every completed step was undone.")
public record SagaCompensated(UUID sagaId, String sagaType, String reason, Instant at) {}
