package dev.easel.agent.simulate;

import java.util.Locale;
import java.util.Optional;

/**
 * What a plan step does, read from its id as cluster-former names them; each kind can take a
 * latency of its own.
 */
public enum StepKind {
  /** {@code install}: Kairos installs the init node and kubeadm initialises the cluster. */
  INSTALL,
  /** {@code join}: another control-plane node or a worker joins. */
  JOIN,
  /** {@code layer-<name>}: a profile layer applied with helm or kubectl. */
  APPLY,
  /** {@code check-nodes}: kubectl lists the cluster's nodes. */
  HEALTH,
  /** {@code fetch-kubeconfig}: the admin kubeconfig is read. */
  KUBECONFIG,
  /** {@code reset-kubeadm}, {@code reset-kairos}: a node is undone. */
  RESET,
  /** Any other step. */
  DEFAULT;

  /** The kind's name on the command line: {@code install}, {@code health}, ... */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of {@code --step-latency install=2s}'s {@code install}. */
  public static Optional<StepKind> byKey(String key) {
    for (StepKind k : values()) {
      if (k.key().equals(key)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The kind of the step with this id. */
  public static StepKind of(String stepId) {
    if (stepId == null) {
      return DEFAULT;
    }
    switch (stepId) {
      case "install":
        return INSTALL;
      case "join":
        return JOIN;
      case "check-nodes":
        return HEALTH;
      case "fetch-kubeconfig":
        return KUBECONFIG;
      default:
        if (stepId.startsWith("layer-")) {
          return APPLY;
        }
        return stepId.startsWith("reset-") ? RESET : DEFAULT;
    }
  }
}
