package dev.easel.clusters.application;

import dev.easel.clusters.application.port.NodeReplica;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.contracts.nodes.NodeFacts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Service;

/**
 * Follows node-discovery's events into cluster-former's copy of the nodes. Each runs in the inbox
 * transaction of the event, so an event is applied once. Events of one node arrive in order (they
 * are keyed by node id); an event for a node this copy has never seen registered is kept only when
 * it says enough to, and otherwise waits for the node's registration.
 */
@Service
public class NodeReplication {

  private final NodeReplica nodes;
  private final Reachability reachability;

  public NodeReplication(NodeReplica nodes, Reachability reachability) {
    this.nodes = nodes;
    this.reachability = reachability;
  }

  public void registered(
      UUID id, String hostname, Map<String, String> labels, NodeFacts facts, Instant at) {
    KnownNode before = nodes.lock(id).orElse(null);
    nodes.save(KnownNode.registered(before, id, hostname, labels, facts, at));
  }

  public void inventoryChanged(
      UUID id, String hostname, Map<String, String> derived, NodeFacts facts, Instant at) {
    update(id, n -> n.inventoryChanged(hostname, derived, facts, at));
  }

  public void labelsChanged(UUID id, Map<String, String> labels, Instant at) {
    update(id, n -> n.labelsChanged(labels, at));
  }

  public void reserved(UUID id, String reservationId, Instant at) {
    update(id, n -> n.reserved(reservationId, at));
  }

  public void released(UUID id, Instant at) {
    update(id, n -> n.released(at));
  }

  public void joined(UUID id, String clusterId, Instant at) {
    update(id, n -> n.joined(clusterId, at));
  }

  public void left(UUID id, Instant at) {
    update(id, n -> n.left(at));
  }

  /** The node stopped heartbeating; a cluster it serves is degraded. */
  public void unreachable(UUID id, Instant at) {
    update(id, n -> n.unreachable(at));
    reachability.unreachable(id, hostname(id), at);
  }

  /** The node heartbeats again; a cluster it serves may have recovered. */
  public void recovered(UUID id, Instant at) {
    update(id, n -> n.recovered(at));
    reachability.recovered(id, hostname(id), at);
  }

  private String hostname(UUID id) {
    return nodes.find(java.util.Set.of(id)).values().stream()
        .map(KnownNode::hostname)
        .findFirst()
        .orElse(null);
  }

  public void decommissioned(UUID id, Instant at) {
    update(id, n -> n.decommissioned(at));
  }

  private void update(UUID id, UnaryOperator<KnownNode> change) {
    Optional<KnownNode> before = nodes.lock(id);
    before.ifPresent(n -> nodes.save(change.apply(n)));
  }
}
