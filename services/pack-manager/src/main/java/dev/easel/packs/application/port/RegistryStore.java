package dev.easel.packs.application.port;

import dev.easel.packs.domain.Registry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Registries and their sealed passwords. */
public interface RegistryStore {

  /**
   * @throws DuplicateName when the name, or the one internal registry, is taken
   */
  void insert(Registry registry, byte[] sealedPassword);

  /**
   * Stores new settings if the stored revision is {@code expectedRevision}.
   *
   * @param sealedPassword the new sealed password, or null to keep the stored one
   * @param clearPassword whether to remove the stored password
   * @return false when the revision moved on
   */
  boolean update(
      Registry registry, long expectedRevision, byte[] sealedPassword, boolean clearPassword);

  Optional<Registry> find(UUID id);

  Optional<Registry> findByName(String name);

  Optional<Registry> internal();

  List<Registry> list();

  Optional<byte[]> sealedPassword(UUID id);

  void delete(UUID id);

  void recordHealth(UUID id, Registry.Health health);

  /** Registries whose health was last checked before {@code before}, or never. */
  List<UUID> dueForHealthCheck(Instant before);

  /** Registries whose next sync is due, or that asked for one. */
  List<UUID> dueForSync(Instant now);

  /** Asks for a sync at the next opportunity. */
  void requestSync(UUID id);

  /**
   * Takes the sync of a registry for {@code lease}, unless another instance holds it.
   *
   * @return whether this instance now holds it
   */
  boolean claimSync(UUID id, Instant now, Instant leaseUntil);

  /** Records a finished sync, releases the lease and schedules the next. */
  void finishSync(UUID id, Registry.SyncStatus status, Instant nextSyncAt);

  /** Raised when a name is taken. */
  final class DuplicateName extends RuntimeException {
    public DuplicateName(String message) {
      super(message);
    }
  }
}
