package dev.easel.clusters.domain;

import dev.easel.clusters.domain.config.ClusterConfig;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster as an operator asks for it, before validation: every field may be missing or wrong, and
 * validation names each problem with its field.
 *
 * @param name a DNS label
 * @param tags free-form tags
 * @param kind {@code management} or {@code workload}
 * @param profile the published profile version it is formed from
 * @param variables values for the profile's variables, by name
 * @param config the cluster's settings
 * @param nodePools its node pools
 */
public record ClusterRequest(
    String name,
    Map<String, String> tags,
    String kind,
    ProfileRef profile,
    Map<String, String> variables,
    ClusterConfig config,
    List<PoolRequest> nodePools) {

  public ClusterRequest {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    variables = variables == null ? Map.of() : Map.copyOf(variables);
    nodePools = nodePools == null ? List.of() : List.copyOf(nodePools);
  }

  /** A published profile version by name. */
  public record ProfileRef(String name, String version) {}

  /**
   * A node pool: explicit nodes, or a selector over node labels with a count.
   *
   * @param role {@code control-plane} or {@code worker}
   * @param nodes explicit node ids; when given, {@code selector} and {@code count} must not be
   * @param selector such as {@code easel.dev/cores>=8,site=lab}
   * @param count how many free nodes the selector picks
   * @param labels Kubernetes labels for the pool's nodes
   * @param taints Kubernetes taints for the pool's nodes, {@code key[=value]:Effect}
   */
  public record PoolRequest(
      String name,
      String role,
      Boolean allowWorkloads,
      List<UUID> nodes,
      String selector,
      Integer count,
      Map<String, String> labels,
      List<String> taints) {

    public PoolRequest {
      nodes = nodes == null ? null : List.copyOf(nodes);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      taints = taints == null ? List.of() : List.copyOf(taints);
    }
  }
}
