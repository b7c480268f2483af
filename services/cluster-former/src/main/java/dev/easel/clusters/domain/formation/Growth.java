package dev.easel.clusters.domain.formation;

import dev.easel.clusters.domain.cluster.Failure;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The data of a saga that adds nodes to a running cluster's pool.
 *
 * @param growthId names this growth's reservation and plans, so that a node added, removed and
 *     added again gets new plans
 * @param init the cluster's init node, where its health is checked
 * @param added the nodes being added
 */
public record Growth(
    UUID clusterId,
    String growthId,
    String pool,
    UUID init,
    List<UUID> added,
    String healthOutput,
    Failure failure) {

  public Growth {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(growthId, "growthId");
    added = added == null ? List.of() : List.copyOf(added);
  }

  public String reservationId() {
    return "cluster-" + clusterId + "-" + growthId;
  }

  public Growth withHealthOutput(String output) {
    return new Growth(clusterId, growthId, pool, init, added, output, failure);
  }

  public Growth failedWith(Failure why) {
    return new Growth(clusterId, growthId, pool, init, added, healthOutput, why);
  }
}
