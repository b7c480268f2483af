package dev.easel.nodes.application.port;

import dev.easel.nodes.domain.Node;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where nodes are kept. Every method that changes a node runs in the caller's transaction, and
 * locks what it reads with {@code lock…} until that transaction ends: events about a node are
 * appended while its row is locked, so they reach the outbox in the order they commit.
 */
public interface NodeStore {

  /** The node of this machine, locked. */
  Optional<NodeRecord> lockByMachine(String machineId);

  /** One node, locked. */
  Optional<NodeRecord> lockRecord(UUID id);

  /** The existing nodes among {@code ids}, locked in id order so that lockers never deadlock. */
  Map<UUID, Node> lock(Collection<UUID> ids);

  /** A machine registering for the first time. */
  void insert(NodeRecord node, byte[] credentialHash, UUID token, Instant at);

  /**
   * A machine registering again: its new state, inventory and credential; {@code userLabels} are
   * the labels to keep.
   */
  void saveRegistration(NodeRecord node, byte[] credentialHash, UUID token, Instant at);

  /** The node's lifecycle and reachability as the domain decided them. */
  void save(UUID id, Node node, Instant at);

  /** A decommissioned node: its state, and no credential. */
  void saveDecommissioned(UUID id, Node node, Instant at);

  /** The node's inventory, host name and platform as given. */
  void saveInventory(NodeRecord node, Instant at);

  /** The node's user labels as given. */
  void saveLabels(NodeRecord node, Instant at);

  /** The nodes a reservation holds, in id order. */
  List<UUID> heldBy(String reservationId);

  /** Whether a reservation was released; a late reserve with it is then refused. */
  boolean isReleased(String reservationId);

  void markReleased(String reservationId, Instant at);

  /** The node whose credential has this hash, unless it is decommissioned. */
  Optional<UUID> ownerOfCredential(byte[] credentialHash);

  /**
   * The nodes among these whose credential is still the one given, locked: a heartbeat sent with a
   * replaced credential does not count.
   */
  Map<UUID, Node> lockForHeartbeats(Map<UUID, byte[]> credentialHashes);

  /** Heartbeats, in one statement: each node's last heartbeat, and its state after it. */
  void saveHeartbeats(Map<UUID, Instant> at, Map<UUID, Node> after);

  /**
   * Reachable nodes silent since before {@code cutoff}, locked; nodes another instance is already
   * sweeping are skipped.
   */
  Map<UUID, Silent> lockSilent(Instant cutoff, int limit);

  /** A node that stopped heartbeating, with its last heartbeat. */
  record Silent(Node node, Instant lastHeartbeat) {}
}
