package dev.easel.clusters.domain.config;

import java.util.List;
import java.util.UUID;

/**
 * A node pool as requested, with its selection already resolved to node ids.
 *
 * @param name a DNS label, unique in the cluster, such as {@code control-plane-pool}
 * @param role what the pool's nodes do
 * @param allowWorkloads for a control-plane pool: whether ordinary workloads may run on it
 * @param nodeIds the selected nodes, in the order they were chosen
 */
public record NodePoolSpec(String name, Role role, boolean allowWorkloads, List<UUID> nodeIds) {

  /** What a pool's nodes do. */
  public enum Role {
    CONTROL_PLANE,
    WORKER
  }

  public NodePoolSpec {
    nodeIds = Texts.copy(nodeIds);
  }
}
