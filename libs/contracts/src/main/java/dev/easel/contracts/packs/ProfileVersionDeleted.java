package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;

/** A cluster profile version was deleted; no cluster used it. */
@Contract(
    value = "dev.easel.packs.ProfileVersionDeleted.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster profile version was deleted.")
public record ProfileVersionDeleted(
    String name, String version, boolean wasPublished, Instant at) {}
