package dev.easel.nodes.domain;

/**
 * The state a node shows, derived from its lifecycle and its reachability. Reachability is kept
 * apart from the lifecycle so that a reserved node that stops heartbeating, and then comes back, is
 * still reserved by the same reservation.
 */
public enum NodeState {
  /** Registered, heartbeating, free to reserve. */
  READY,
  /** No heartbeat within the liveness window; its lifecycle facts are kept. */
  UNREACHABLE,
  /** Held by a reservation for a cluster being formed. */
  RESERVED,
  /** Part of a cluster. */
  IN_CLUSTER,
  /** Taken out of service for good; it can register again only as a new machine. */
  DECOMMISSIONED
}
