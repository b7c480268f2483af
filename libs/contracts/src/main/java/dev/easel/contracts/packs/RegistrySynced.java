package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A sync of a registry's catalogue finished.
 *
 * @param state {@code SUCCEEDED}, or {@code FAILED} when the registry could not be listed; a sync
 *     that skipped some packs succeeds and names them in {@code errors}
 * @param packs how many pack versions the registry holds after the sync
 */
@Contract(
    value = "dev.easel.packs.RegistrySynced.v1",
    kind = Contract.Kind.EVENT,
    description = "A registry's catalogue sync finished, with what it added and removed.")
public record RegistrySynced(
    UUID registryId,
    String name,
    String state,
    int packs,
    int packsAdded,
    int packsRemoved,
    List<String> errors,
    Instant startedAt,
    Instant finishedAt) {}
