package dev.easel.packs.application.port;

import dev.easel.packs.domain.ProfileVersion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Cluster profile versions, and which clusters use them. */
public interface ProfileStore {

  /**
   * @throws DuplicateVersion when the name and version exist
   */
  void insert(ProfileVersion version);

  /** Stores a changed version if its stored revision is {@code expectedRevision}. */
  boolean update(ProfileVersion version, long expectedRevision);

  Optional<ProfileVersion> find(String name, String version);

  /** Every version of a profile, newest first. */
  List<ProfileVersion> versions(String name);

  /** The latest version of every profile, by name. */
  List<ProfileVersion> latest();

  boolean delete(String name, String version);

  void attach(UUID clusterId, String name, String version, Instant since);

  void detach(UUID clusterId, String name, String version);

  /** Clusters that use the version. */
  List<UUID> usedBy(String name, String version);

  /** Raised when the version exists. */
  final class DuplicateVersion extends RuntimeException {
    public DuplicateVersion(String message) {
      super(message);
    }
  }
}
