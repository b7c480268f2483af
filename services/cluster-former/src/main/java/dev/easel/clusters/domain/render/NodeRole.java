package dev.easel.clusters.domain.render;

/**
 * What a node does in the cluster, as the Kairos cluster plugin names it in {@code cluster.role}.
 * Exactly one node of a cluster is {@link #INIT}: it runs {@code kubeadm init}; every other node
 * joins it.
 */
public enum NodeRole {
  /** The one node that initialises the control plane. */
  INIT("init"),
  /** A control-plane node that joins the initialised one. */
  CONTROL_PLANE("controlplane"),
  /** A node that joins as a worker only. */
  WORKER("worker");

  private final String kairosName;

  NodeRole(String kairosName) {
    this.kairosName = kairosName;
  }

  /** The value of Kairos' {@code cluster.role}. */
  public String kairosName() {
    return kairosName;
  }

  /** Whether the node runs the control plane (and so needs the VIP in its certificates). */
  public boolean controlPlane() {
    return this != WORKER;
  }
}
