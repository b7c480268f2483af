package dev.easel.compliance.domain.backup;

import java.util.Locale;
import java.util.Optional;

/**
 * Which cluster-wide resources a backup or restore takes, as the seed's console names it. In
 * Velero's terms these are {@code includeClusterResources} true, unset and false.
 */
public enum ClusterResources {
  /** Every cluster-wide resource. */
  ALWAYS,
  /** The persistent volumes bound to claims in the chosen namespaces, and nothing else. */
  AUTO,
  /** No cluster-wide resource, not even those volumes. */
  NEVER;

  /** Always, Auto or Never. */
  public String wireName() {
    String n = name().toLowerCase(Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }

  /** Velero's flag for it; empty for Auto, which is Velero's default. */
  public Optional<String> veleroFlag() {
    return switch (this) {
      case ALWAYS -> Optional.of("--include-cluster-resources=true");
      case NEVER -> Optional.of("--include-cluster-resources=false");
      case AUTO -> Optional.empty();
    };
  }

  public static Optional<ClusterResources> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    for (ClusterResources c : values()) {
      if (c.name().equalsIgnoreCase(s.trim())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** From Velero's {@code includeClusterResources}: true, false, or null. */
  public static ClusterResources ofVelero(Boolean include) {
    return include == null ? AUTO : include ? ALWAYS : NEVER;
  }
}
