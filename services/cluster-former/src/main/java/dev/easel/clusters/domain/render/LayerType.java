package dev.easel.clusters.domain.render;

import java.util.Locale;

/**
 * The place of a profile layer in the stack. The operating system and Kubernetes layers go into
 * each node's cloud-config; the others are applied to the running cluster, in the order declared
 * here: networking first (nothing schedules without it), storage next (the registry claims a
 * volume), then the registry and any other add-on.
 */
public enum LayerType {
  OS,
  K8S,
  CNI,
  CSI,
  REGISTRY,
  ADDON;

  /**
   * The type a pack declares ({@code os}, {@code k8s}, {@code cni}, {@code csi}, {@code registry}
   * or {@code addon}), in any case.
   *
   * @throws IllegalArgumentException for any other name
   */
  public static LayerType of(String name) {
    if (name != null) {
      for (LayerType t : values()) {
        if (t.name().equalsIgnoreCase(name.strip())) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown layer type '" + name + "'; expected os, k8s, cni, csi, registry or addon");
  }

  /** Whether the layer is deployed into the cluster rather than written to the nodes. */
  public boolean appliedToCluster() {
    return this != OS && this != K8S;
  }

  /** The name packs use. */
  public String packName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
