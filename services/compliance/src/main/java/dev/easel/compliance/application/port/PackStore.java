package dev.easel.compliance.application.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The versions of the packs that provide features, as pack-manager's events say they are. */
public interface PackStore {

  /**
   * A pack version in a registry.
   *
   * @param values its {@code values.yaml}
   */
  record PackVersion(
      UUID registryId,
      String registry,
      String name,
      String version,
      String digest,
      String values,
      Instant at) {}

  /** Adds or replaces a version; true when the pack had no version in any registry before. */
  boolean added(PackVersion pack);

  /** Removes a version; true when that leaves the pack in no registry. */
  boolean removed(UUID registryId, String name, String version);

  /** The highest version of a pack across registries (by semantic version order). */
  Optional<PackVersion> best(String name);

  /** Every version of a pack, highest first. */
  List<PackVersion> versions(String name);
}
