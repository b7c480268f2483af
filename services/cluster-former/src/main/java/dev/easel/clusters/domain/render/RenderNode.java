package dev.easel.clusters.domain.render;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One node of the cluster being formed.
 *
 * <p>The labels are handed to the kubelet ({@code --node-labels}), which refuses to start when one
 * of them is in the {@code kubernetes.io} or {@code k8s.io} namespaces and is not one of the few
 * labels a kubelet may set on itself; such labels (for example {@code node-role.kubernetes.io/...})
 * are refused here instead of leaving a node that never joins.
 *
 * @param id the node's id in node-discovery
 * @param hostname the host name the node gets, which Kubernetes uses as the node name
 * @param role what the node does in the cluster
 * @param labels extra node labels; kept sorted by key
 * @param taints the node's taints, exactly; an empty list leaves the node untainted, even a
 *     control-plane node (kubeadm's own control-plane taint is not added)
 */
public record RenderNode(
    UUID id, String hostname, NodeRole role, Map<String, String> labels, List<Taint> taints) {

  /** Labels in the Kubernetes namespaces that a kubelet may set with {@code --node-labels}. */
  private static final Set<String> KUBELET_LABELS =
      Set.of(
          "kubernetes.io/hostname",
          "kubernetes.io/arch",
          "kubernetes.io/os",
          "beta.kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "beta.kubernetes.io/instance-type",
          "node.kubernetes.io/instance-type",
          "failure-domain.beta.kubernetes.io/region",
          "failure-domain.beta.kubernetes.io/zone",
          "topology.kubernetes.io/region",
          "topology.kubernetes.io/zone");

  /** Namespaces whose every label a kubelet may set on itself. */
  private static final Set<String> KUBELET_NAMESPACES =
      Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

  public RenderNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(role, "role");
    if (hostname == null || hostname.isBlank() || !hostname.equals(hostname.strip())) {
      throw new IllegalArgumentException("node " + id + ": the hostname must not be blank");
    }
    if (hostname.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "node " + id + ": the hostname must not contain spaces or control characters");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    if (labels != null) {
      for (Map.Entry<String, String> e : labels.entrySet()) {
        String key = e.getKey();
        if (key == null || key.isBlank() || key.contains(",") || key.contains("=")) {
          throw new IllegalArgumentException(
              "node " + hostname + ": a label key must not be blank or hold ',' or '='");
        }
        String value = Objects.requireNonNullElse(e.getValue(), "");
        if (value.contains(",")) {
          throw new IllegalArgumentException(
              "node " + hostname + ": label " + key + " has a ',' in its value");
        }
        if (!kubeletMaySet(key)) {
          throw new IllegalArgumentException(
              "node "
                  + hostname
                  + ": the kubelet may not set label "
                  + key
                  + " on its node; set labels in the kubernetes.io and k8s.io namespaces through"
                  + " the API instead");
        }
        sorted.put(key, value);
      }
    }
    labels = Collections.unmodifiableMap(sorted);
    taints = taints == null ? List.of() : List.copyOf(taints);
  }

  private static boolean kubeletMaySet(String key) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return true;
    }
    String namespace = key.substring(0, slash);
    boolean kubernetes =
        namespace.equals("kubernetes.io")
            || namespace.endsWith(".kubernetes.io")
            || namespace.equals("k8s.io")
            || namespace.endsWith(".k8s.io");
    if (!kubernetes) {
      return true;
    }
    if (KUBELET_LABELS.contains(key)) {
      return true;
    }
    for (String allowed : KUBELET_NAMESPACES) {
      if (namespace.equals(allowed) || namespace.endsWith("." + allowed)) {
        return true;
      }
    }
    return false;
  }
}
