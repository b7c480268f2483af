package dev.easel.clusters.domain.formation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The deletion saga's data: the nodes to reset, in reverse of how they joined.
 *
 * @param forced when true nothing is reset now: the nodes are freed and marked to be reset when
 *     node-discovery next hears from them
 */
public record Teardown(
    UUID clusterId, List<UUID> workers, List<UUID> controlPlanes, UUID init, boolean forced) {

  public Teardown {
    Objects.requireNonNull(clusterId, "clusterId");
    workers = workers == null ? List.of() : List.copyOf(workers);
    controlPlanes = controlPlanes == null ? List.of() : List.copyOf(controlPlanes);
  }

  public List<UUID> nodes() {
    List<UUID> all = new ArrayList<>(workers);
    all.addAll(controlPlanes);
    if (init != null) {
      all.add(init);
    }
    return all;
  }
}
