package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A pack version is no longer in a registry (deleted there, or the registry was removed). */
@Contract(
    value = "dev.easel.packs.PackRemoved.v1",
    kind = Contract.Kind.EVENT,
    description = "A pack version left a registry's catalogue.")
public record PackRemoved(
    UUID registryId,
    String registry,
    String name,
    String version,
    String digest,
    String layer,
    Instant at) {}
