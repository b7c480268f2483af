package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.Node;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Heartbeats and the liveness they prove.
 *
 * <p>A heartbeat is checked against the node's credential and then only noted; {@link #flush}
 * writes all noted heartbeats in one statement, the hot path's batch, and recovers the nodes that
 * were unreachable. {@link #sweep} declares nodes unreachable after the window (40 s by default, as
 * Kubernetes node leases do). Both decide each node's state through {@link Node}; the schedule that
 * runs them is configuration ({@code config/LivenessSchedule}).
 */
@Service
public class Heartbeats {

  /** Heartbeats per statement: bind parameters stay well under PostgreSQL's 65,535. */
  static final int FLUSH_CHUNK = 2_000;

  static final int SWEEP_CHUNK = 1_000;

  private final NodeStore nodes;
  private final Credentials credentials;
  private final TransactionTemplate tx;
  private final Outbox outbox;
  private final Clock clock;
  private final Duration unreachableAfter;
  private final Map<UUID, Noted> noted = new ConcurrentHashMap<>();

  /** A heartbeat not yet written, with the hash of the credential it came with. */
  private record Noted(Instant at, byte[] credentialHash) {}

  public Heartbeats(
      NodeStore nodes,
      Credentials credentials,
      TransactionTemplate tx,
      Outbox outbox,
      Clock clock,
      @Value("${easel.nodes.unreachable-after:40s}") Duration unreachableAfter) {
    this.nodes = nodes;
    this.credentials = credentials;
    this.tx = tx;
    this.outbox = outbox;
    this.clock = clock;
    this.unreachableAfter = unreachableAfter;
  }

  public Duration unreachableAfter() {
    return unreachableAfter;
  }

  /**
   * Notes a heartbeat from the node holding this credential, for the node it names.
   *
   * @throws RequestRefused 401 for an unknown credential, 403 for another node's
   */
  public void heartbeat(UUID nodeId, String credential) {
    byte[] hash = authorize(nodeId, credential);
    noted.put(nodeId, new Noted(clock.instant(), hash));
  }

  /**
   * Checks that the credential is the named node's own; a cache may answer.
   *
   * @return the credential's hash
   * @throws RequestRefused 401 for an unknown credential, 403 for another node's
   */
  public byte[] authorize(UUID nodeId, String credential) {
    byte[] hash = hashOf(credential);
    check(nodeId, credentials.owner(hash).orElse(null), hash);
    return hash;
  }

  /**
   * Checks the credential against the store, never a cache: for calls that change something (step
   * results, inventory, artifacts).
   */
  public void authorizeStrictly(UUID nodeId, String credential) {
    byte[] hash = hashOf(credential);
    check(nodeId, credentials.ownerFresh(hash).orElse(null), hash);
  }

  /** Drops what is cached for a node whose credential was replaced or dropped. */
  public void forget(UUID nodeId) {
    credentials.forget(nodeId);
  }

  private static byte[] hashOf(String credential) {
    if (credential == null || credential.isBlank()) {
      throw new RequestRefused(Kind.UNAUTHORIZED, "unauthorized", "a node credential is required");
    }
    return Secrets.hash(credential);
  }

  private static void check(UUID nodeId, UUID owner, byte[] hash) {
    if (owner == null) {
      throw new RequestRefused(
          Kind.UNAUTHORIZED, "unauthorized", "the node credential is not valid");
    }
    if (!owner.equals(nodeId)) {
      throw new RequestRefused(
          Kind.FORBIDDEN, "forbidden", "a node credential may act only on its own node");
    }
  }

  /** Writes noted heartbeats; recovers unreachable nodes among them. */
  public void flush() {
    if (noted.isEmpty()) {
      return;
    }
    Map<UUID, Noted> batch = new LinkedHashMap<>();
    for (UUID id : List.copyOf(noted.keySet())) {
      Noted n = noted.remove(id);
      if (n != null) {
        batch.put(id, n);
      }
    }
    List<UUID> ids = new ArrayList<>(batch.keySet());
    for (int from = 0; from < ids.size(); from += FLUSH_CHUNK) {
      Map<UUID, Noted> chunk = new LinkedHashMap<>();
      ids.subList(from, Math.min(ids.size(), from + FLUSH_CHUNK))
          .forEach(id -> chunk.put(id, batch.get(id)));
      tx.executeWithoutResult(s -> write(chunk));
    }
  }

  private void write(Map<UUID, Noted> chunk) {
    Map<UUID, byte[]> hashes = new HashMap<>();
    chunk.forEach((id, n) -> hashes.put(id, n.credentialHash()));
    Map<UUID, Node> current = nodes.lockForHeartbeats(hashes);
    Map<UUID, Instant> at = new HashMap<>();
    Map<UUID, Node> after = new HashMap<>();
    Instant now = clock.instant();
    for (Map.Entry<UUID, Node> e : current.entrySet()) {
      UUID id = e.getKey();
      at.put(id, chunk.get(id).at());
      Node.Outcome outcome = e.getValue().heartbeat();
      if (outcome instanceof Node.Changed changed) {
        after.put(id, changed.to());
        outbox.publishEvent(id.toString(), new NodeRecovered(id, now));
      }
    }
    nodes.saveHeartbeats(at, after);
    chunk.forEach(
        (id, n) -> {
          if (!current.containsKey(id)) {
            credentials.forget(n.credentialHash()); // replaced or dropped meanwhile
          }
        });
  }

  /**
   * Declares silent nodes unreachable. Instances sweep side by side: a node one of them is sweeping
   * is skipped by the others.
   *
   * @return how many nodes became unreachable
   */
  public int sweep() {
    int total = 0;
    while (true) {
      Integer n = tx.execute(s -> sweepChunk());
      total += n == null ? 0 : n;
      if (n == null || n < SWEEP_CHUNK) {
        return total;
      }
    }
  }

  private int sweepChunk() {
    Instant now = clock.instant();
    Map<UUID, NodeStore.Silent> silent = nodes.lockSilent(now.minus(unreachableAfter), SWEEP_CHUNK);
    for (Map.Entry<UUID, NodeStore.Silent> e : silent.entrySet()) {
      UUID id = e.getKey();
      if (e.getValue().node().markUnreachable() instanceof Node.Changed changed) {
        nodes.save(id, changed.to(), now);
        outbox.publishEvent(
            id.toString(), new NodeBecameUnreachable(id, e.getValue().lastHeartbeat(), now));
      }
    }
    return silent.size();
  }
}
