package dev.easel.common.saga;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where sagas are kept. The engine calls it inside the transaction it runs each transition in. */
public interface SagaStore {

  void insert(SagaSnapshot saga);

  /**
   * Writes the saga if it is still at {@code expectedVersion}; its stored version becomes one more.
   *
   * @return false when another transition got there first
   */
  boolean update(SagaSnapshot saga, long expectedVersion);

  Optional<SagaSnapshot> find(UUID id);

  /** The sagas among these ids that exist, in one read. */
  java.util.Map<UUID, SagaSnapshot> findAll(java.util.Collection<UUID> ids);

  /**
   * Writes several sagas, each if it is still at its expected version, in one round trip.
   *
   * @return for each, whether it was written
   */
  boolean[] updateAll(List<SagaSnapshot> sagas, List<Long> expectedVersions);

  /**
   * Sagas whose deadline has passed, locked until the caller's transaction ends so that each is
   * handled by exactly one instance.
   */
  List<UUID> lockDue(Instant now, int limit);

  /** Appends history lines of one or more sagas, in one batch. */
  void appendHistory(java.util.Map<UUID, List<SagaHistoryEntry>> entries);

  List<SagaHistoryEntry> history(UUID sagaId);
}
