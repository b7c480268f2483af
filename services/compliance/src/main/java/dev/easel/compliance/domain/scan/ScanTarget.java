package dev.easel.compliance.domain.scan;

import java.util.List;
import java.util.UUID;

/**
 * The cluster a scan runs on, as compliance knows it from cluster-former's events.
 *
 * @param kubernetesVersion the version of its profile's k8s layer, or null when unknown
 * @param nodes its nodes, init node first
 */
public record ScanTarget(UUID clusterId, String name, String kubernetesVersion, List<Node> nodes) {

  public ScanTarget {
    nodes = List.copyOf(nodes);
  }

  /**
   * A node and its role.
   *
   * @param role {@code init}, {@code controlplane} or {@code worker}
   */
  public record Node(UUID nodeId, String hostname, String role) {

    public boolean controlPlane() {
      return "init".equals(role) || "controlplane".equals(role);
    }

    /** The role as reports show it: {@code control-plane} or {@code worker}. */
    public String reportRole() {
      return controlPlane() ? "control-plane" : "worker";
    }
  }

  /** The node that initialised the cluster, where cluster-wide tools run. */
  public Node init() {
    for (Node n : nodes) {
      if ("init".equals(n.role())) {
        return n;
      }
    }
    for (Node n : nodes) {
      if (n.controlPlane()) {
        return n;
      }
    }
    if (nodes.isEmpty()) {
      throw new IllegalStateException("cluster " + clusterId + " has no nodes");
    }
    return nodes.get(0);
  }
}
