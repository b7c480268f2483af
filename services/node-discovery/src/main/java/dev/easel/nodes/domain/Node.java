package dev.easel.nodes.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A node's lifecycle as an explicit state machine. Every transition returns an {@link Outcome}:
 * either the node after it, or the reason it was refused. A refused transition changes nothing.
 *
 * <pre>
 *            reserve(r)            join(r, c)
 *   READY ───────────────> RESERVED ──────────> IN_CLUSTER
 *     ^  <─────────────────   │                    │
 *     │      release(r)       │                    │ leave
 *     └───────────────────────┴────────────────────┘
 *   READY ── decommission ──> DECOMMISSIONED   (also from UNREACHABLE while free)
 *   any but DECOMMISSIONED ── missed heartbeats ──> UNREACHABLE ── heartbeat ──> as before
 * </pre>
 *
 * @param lifecycle where the node stands, apart from reachability
 * @param reachable whether heartbeats arrive
 * @param reservation the holding reservation while reserved or in a cluster
 * @param clusterId the cluster while in one
 */
public record Node(
    Lifecycle lifecycle, boolean reachable, Reservation reservation, String clusterId) {

  /** The lifecycle, apart from reachability. */
  public enum Lifecycle {
    FREE,
    RESERVED,
    IN_CLUSTER,
    DECOMMISSIONED
  }

  /** Who holds a node. */
  public record Reservation(String id, String owner) {
    public Reservation {
      Objects.requireNonNull(id, "reservation id");
      Objects.requireNonNull(owner, "reservation owner");
    }
  }

  /** What a transition did. */
  public sealed interface Outcome permits Changed, Unchanged, Refused {}

  /** The node moved; {@code to} is its new state. */
  public record Changed(Node to) implements Outcome {}

  /** Already there: a retried command that has nothing left to do. */
  public record Unchanged(Node node) implements Outcome {}

  /**
   * Not allowed from here.
   *
   * @param code stable, such as {@code node-busy}
   * @param reason for people
   */
  public record Refused(String code, String reason) implements Outcome {}

  /** A newly registered node. */
  public static Node registered() {
    return new Node(Lifecycle.FREE, true, null, null);
  }

  public NodeState state() {
    if (lifecycle == Lifecycle.DECOMMISSIONED) {
      return NodeState.DECOMMISSIONED;
    }
    if (!reachable) {
      return NodeState.UNREACHABLE;
    }
    return switch (lifecycle) {
      case FREE -> NodeState.READY;
      case RESERVED -> NodeState.RESERVED;
      case IN_CLUSTER -> NodeState.IN_CLUSTER;
      case DECOMMISSIONED -> NodeState.DECOMMISSIONED;
    };
  }

  public Optional<Reservation> heldBy() {
    return Optional.ofNullable(reservation);
  }

  /** Reserves the node; retrying with the same reservation id changes nothing. */
  public Outcome reserve(Reservation r) {
    if (lifecycle == Lifecycle.RESERVED && reservation.id().equals(r.id())) {
      return new Unchanged(this);
    }
    if (lifecycle == Lifecycle.DECOMMISSIONED) {
      return new Refused("node-decommissioned", "the node is decommissioned");
    }
    if (!reachable) {
      return new Refused("node-unreachable", "the node sends no heartbeats");
    }
    if (lifecycle != Lifecycle.FREE) {
      return new Refused(
          "node-busy",
          "the node is "
              + state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + " by reservation "
              + reservation.id()
              + " of "
              + reservation.owner());
    }
    return new Changed(new Node(Lifecycle.RESERVED, true, r, null));
  }

  /** Frees the node if this reservation holds it; otherwise there is nothing to release. */
  public Outcome release(String reservationId) {
    if (lifecycle == Lifecycle.RESERVED && reservation.id().equals(reservationId)) {
      return new Changed(new Node(Lifecycle.FREE, reachable, null, null));
    }
    return new Unchanged(this);
  }

  /** The reserved node joins the cluster its reservation was for. */
  public Outcome join(String reservationId, String cluster) {
    if (lifecycle == Lifecycle.IN_CLUSTER
        && reservation.id().equals(reservationId)
        && cluster.equals(clusterId)) {
      return new Unchanged(this);
    }
    if (lifecycle != Lifecycle.RESERVED || !reservation.id().equals(reservationId)) {
      return new Refused("not-reserved", "the node is not held by reservation " + reservationId);
    }
    return new Changed(new Node(Lifecycle.IN_CLUSTER, reachable, reservation, cluster));
  }

  /** The node leaves its cluster and is free again. */
  public Outcome leave(String cluster) {
    if (lifecycle != Lifecycle.IN_CLUSTER) {
      return new Unchanged(this);
    }
    if (!cluster.equals(clusterId)) {
      return new Refused("other-cluster", "the node belongs to cluster " + clusterId);
    }
    return new Changed(new Node(Lifecycle.FREE, reachable, null, null));
  }

  /** Takes a free node out of service for good. */
  public Outcome decommission() {
    if (lifecycle == Lifecycle.DECOMMISSIONED) {
      return new Unchanged(this);
    }
    if (lifecycle != Lifecycle.FREE) {
      return new Refused(
          "node-busy", "release or remove the node from its cluster before decommissioning it");
    }
    return new Changed(new Node(Lifecycle.DECOMMISSIONED, reachable, null, null));
  }

  /** Heartbeats stopped; everything else about the node is kept. */
  public Outcome markUnreachable() {
    if (!reachable || lifecycle == Lifecycle.DECOMMISSIONED) {
      return new Unchanged(this);
    }
    return new Changed(new Node(lifecycle, false, reservation, clusterId));
  }

  /**
   * The machine registered again: it is alive, and keeps its lifecycle (a reserved or clustered
   * node stays so). An unreachable node is recovered by it, as by a heartbeat.
   */
  public Outcome reRegistered() {
    if (lifecycle == Lifecycle.DECOMMISSIONED) {
      return new Refused(
          "node-decommissioned", "the machine was decommissioned; it cannot register again");
    }
    return heartbeat();
  }

  /** A heartbeat arrived. */
  public Outcome heartbeat() {
    if (reachable || lifecycle == Lifecycle.DECOMMISSIONED) {
      return new Unchanged(this);
    }
    return new Changed(new Node(lifecycle, true, reservation, clusterId));
  }
}
