package dev.easel.packs.domain;

/**
 * One registry's copy of a pack version, as the catalogue knows it.
 *
 * @param registry the registry's name, as profile layers refer to it
 * @param repository where the pack archive lives in that registry
 * @param valuesYaml the pack's values.yaml; may be empty
 * @param schemaYaml the pack's schema.yaml, or null when it has none
 * @param presetsYaml the pack's presets.yaml, or null when it has none
 * @param digest the archive's content digest; equal digests mean equal files
 */
public record CataloguedPack(
    String registry,
    String registryId,
    String repository,
    PackManifest manifest,
    String valuesYaml,
    String schemaYaml,
    String presetsYaml,
    String digest) {}
