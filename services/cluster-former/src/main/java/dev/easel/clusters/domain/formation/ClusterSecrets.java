package dev.easel.clusters.domain.formation;

import java.util.Map;

/**
 * What a cluster keeps sealed: the Kairos cluster token (any node holding it can join), the
 * registry password, and the profile variables' values (some are sensitive).
 */
public record ClusterSecrets(
    String clusterToken, String registryPassword, Map<String, String> variables) {

  public ClusterSecrets {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
  }

  /** Nothing but the lengths. */
  @Override
  public String toString() {
    return "ClusterSecrets[clusterToken=********, registryPassword="
        + (registryPassword == null ? "none" : "********")
        + ", variables="
        + variables.keySet()
        + "]";
  }
}
