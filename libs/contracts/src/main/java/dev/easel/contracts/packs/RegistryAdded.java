package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A registry was added to pack-manager. Its password is never part of an event.
 *
 * @param kind {@code internal} or {@code external}
 * @param endpoint the registry's base URL
 * @param baseContentPath the path under which packs live, possibly empty
 */
@Contract(
    value = "dev.easel.packs.RegistryAdded.v1",
    kind = Contract.Kind.EVENT,
    description = "A registry was added; packs are synced from it.")
public record RegistryAdded(
    UUID registryId,
    String name,
    String kind,
    String endpoint,
    String baseContentPath,
    Instant at) {}
