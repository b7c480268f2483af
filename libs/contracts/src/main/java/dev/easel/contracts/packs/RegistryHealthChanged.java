package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.UUID;

/**
 * A registry's health changed.
 *
 * @param state {@code HEALTHY}, {@code UNAUTHORIZED}, {@code UNREACHABLE} or {@code TLS_ERROR}
 * @param previous the state before, or null on the first check
 * @param detail what the check saw, for a person
 */
@Contract(
    value = "dev.easel.packs.RegistryHealthChanged.v1",
    kind = Contract.Kind.EVENT,
    description = "A registry's health changed (HEALTHY, UNAUTHORIZED, UNREACHABLE, TLS_ERROR).")
public record RegistryHealthChanged(
    UUID registryId, String name, String state, String previous, String detail, Instant at) {}
