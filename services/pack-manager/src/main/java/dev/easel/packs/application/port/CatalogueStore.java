package dev.easel.packs.application.port;

import dev.easel.packs.domain.CataloguedPack;
import dev.easel.packs.domain.PackManifest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The pack catalogue: the pack versions each registry holds, with their files. */
public interface CatalogueStore {

  /**
   * One pack version in one registry.
   *
   * @param digest the OCI manifest's digest
   * @param layerDigest the digest of the layer that holds the pack directory
   */
  record Entry(
      UUID registryId,
      String repository,
      String digest,
      String layerDigest,
      PackManifest manifest,
      String packJson,
      String valuesYaml,
      String schemaYaml,
      String presetsYaml,
      String readme,
      boolean hasLogo,
      Instant addedAt) {}

  /** A pack version as a list shows it. */
  record Summary(
      String registry,
      UUID registryId,
      String name,
      String version,
      String displayName,
      String layer,
      String addonType,
      List<String> cloudTypes,
      String digest,
      String repository,
      Instant addedAt) {}

  /** The filters of a list, any of them null. */
  record Filter(String layer, String cloudType, String name, String registry, String q) {}

  /** The position after the last item of a page. */
  record Cursor(String name, String versionKey, UUID registryId) {}

  record Page(List<Summary> items, Cursor next) {}

  /**
   * A tag that holds no valid pack, and the digest it had when it was read.
   *
   * @param key {@code name:version}
   */
  record Rejection(String key, String digest, String reason) {}

  /** The registry's rejected tags, by {@code name:version}. */
  Map<String, Rejection> rejections(UUID registryId);

  /** Records rejected tags, replacing what was recorded for them. */
  void reject(UUID registryId, Collection<Rejection> rejections, Instant at);

  /** Forgets rejected tags, given as {@code name:version}. */
  void forgetRejections(UUID registryId, Collection<String> keys);

  /** Digests by {@code name:version}, for the registry. */
  Map<String, String> digests(UUID registryId);

  /** Inserts or replaces entries (by registry, name and version). */
  void upsert(Collection<Entry> entries);

  /** Removes pack versions, given as {@code name:version}. */
  void remove(UUID registryId, Collection<String> nameVersions);

  Page list(Filter filter, Cursor after, int limit);

  /** Every registry's copy of a pack's versions, newest first. */
  List<Summary> versions(String name);

  /** Each registry's copy of one pack version, with its files. */
  List<CataloguedPack> find(String name, String version);

  Optional<CataloguedPack> find(UUID registryId, String name, String version);

  /** The README of a pack version, which a detail view shows and profiles never need. */
  Optional<String> readme(UUID registryId, String name, String version);

  /** Summaries of every pack version of a registry. */
  List<Summary> ofRegistry(UUID registryId);
}
