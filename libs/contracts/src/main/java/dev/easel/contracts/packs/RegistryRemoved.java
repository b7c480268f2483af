package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/** A registry was removed; its packs left the catalogue (each with its own {@link PackRemoved}). */
@Contract(
    value = "dev.easel.packs.RegistryRemoved.v1",
    kind = Contract.Kind.EVENT,
    description = "A registry was removed, with its packs.")
public record RegistryRemoved(UUID registryId, String name, Instant at) {}
