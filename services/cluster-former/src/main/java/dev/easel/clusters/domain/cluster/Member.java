package dev.easel.clusters.domain.cluster;

import dev.easel.clusters.domain.render.NodeRole;
import java.util.Objects;
import java.util.UUID;

/**
 * A node of a cluster.
 *
 * @param nodeId the node's id in node-discovery
 * @param hostname its host name, which Kubernetes names it by
 * @param pool the pool it belongs to
 * @param role init, control plane or worker
 */
public record Member(UUID nodeId, String hostname, String pool, NodeRole role) {

  public Member {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(role, "role");
  }
}
