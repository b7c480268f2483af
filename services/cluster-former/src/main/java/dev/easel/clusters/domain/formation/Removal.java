package dev.easel.clusters.domain.formation;

import java.util.Objects;
import java.util.UUID;

/**
 * The data of a saga that takes one node out of a running cluster: drained and deleted from
 * Kubernetes on the init node, reset, and freed.
 *
 * @param removalId names this removal's plans
 */
public record Removal(
    UUID clusterId, String removalId, UUID nodeId, String hostname, String pool, UUID init) {

  public Removal {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(removalId, "removalId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(hostname, "hostname");
  }
}
