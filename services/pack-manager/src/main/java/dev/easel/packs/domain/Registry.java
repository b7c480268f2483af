package dev.easel.packs.domain;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registry pack-manager keeps packs in. The password itself is never part of this record: it is
 * sealed in storage, and only whether one is set travels.
 *
 * @param endpoint the registry's root, normalised: scheme, host and port, no path
 * @param baseContentPath the path under which packs live ({@code <base>/spectro-packs/archive/}),
 *     possibly empty
 * @param revision incremented by every change of the settings; the ETag of the resource
 */
public record Registry(
    UUID id,
    String name,
    RegistryKind kind,
    URI endpoint,
    String baseContentPath,
    String username,
    boolean passwordSet,
    String caCertificate,
    boolean insecureSkipTlsVerify,
    int syncIntervalSeconds,
    long revision,
    Instant createdAt,
    Instant updatedAt,
    Health health,
    SyncStatus sync) {

  /** Where Palette-compatible pack repositories start, under the base content path. */
  public static final String PACKS_PATH = "spectro-packs/archive/";

  /**
   * The last health check.
   *
   * @param state null before the first check
   */
  public record Health(HealthState state, String detail, Instant checkedAt, Instant changedAt) {

    public static final Health UNKNOWN = new Health(null, null, null, null);

    /**
     * This health after a check that saw {@code state}; {@code changedAt} moves only on a change.
     */
    public Health observe(HealthState seen, String seenDetail, Instant at) {
      return new Health(seen, seenDetail, at, seen == state ? changedAt : at);
    }

    public boolean changedFrom(Health before) {
      return state != before.state;
    }
  }

  /**
   * The latest catalogue sync.
   *
   * @param state {@code NEVER}, {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
   * @param manifestsFetched manifests the sync had to fetch: only those whose digest was new
   */
  public record SyncStatus(
      String state,
      Instant startedAt,
      Instant finishedAt,
      int packsAdded,
      int packsRemoved,
      int manifestsFetched,
      List<String> errors) {

    public SyncStatus {
      errors = errors == null ? List.of() : List.copyOf(errors);
    }
  }

  /** The repository of a pack in this registry: {@code <base>/spectro-packs/archive/<name>}. */
  public String packRepository(String packName) {
    return packsPrefix() + packName;
  }

  /** {@code <base>/spectro-packs/archive/}, the prefix of every pack repository. */
  public String packsPrefix() {
    return baseContentPath.isEmpty() ? PACKS_PATH : baseContentPath + "/" + PACKS_PATH;
  }

  /** A repository path of a bundle's artifact, placed under the base content path. */
  public String repository(String relative) {
    return baseContentPath.isEmpty() ? relative : baseContentPath + "/" + relative;
  }

  /** Host and port, as image references write them. */
  public String hostAndPort() {
    return endpoint.getPort() < 0
        ? endpoint.getHost()
        : endpoint.getHost() + ":" + endpoint.getPort();
  }
}
