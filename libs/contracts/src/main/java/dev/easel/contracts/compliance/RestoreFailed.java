package dev.easel.contracts.compliance;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A restore failed: Velero's phase Failed or FailedValidation, or a plan that could not run. */
@Contract(
    value = "dev.easel.compliance.RestoreFailed.v1",
    kind = Contract.Kind.EVENT,
    description = "A restore failed, in Velero or on its way there.")
public record RestoreFailed(
    UUID restoreId, UUID clusterId, String name, String phase, String reason, Instant at) {}
