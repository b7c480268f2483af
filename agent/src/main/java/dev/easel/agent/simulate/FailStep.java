package dev.easel.agent.simulate;

import java.util.Collection;

/**
 * A step the simulator fails on purpose ({@code --fail-step ID[@HOSTNAME]}): every step with this
 * id, or only those run by one machine.
 *
 * @param stepId the step's id, as {@code install} or {@code layer-cni}
 * @param hostname null for every node; else the node's simulated host name, or the one its cluster
 *     config gives it, compared ignoring case
 */
public record FailStep(String stepId, String hostname) {

  public FailStep {
    if (stepId == null || stepId.isBlank()) {
      throw new IllegalArgumentException("a failing step needs a step id");
    }
    if (hostname != null && hostname.isBlank()) {
      throw new IllegalArgumentException("the host of failing step " + stepId + " is blank");
    }
  }

  /** Fails the step with this id on every node. */
  public static FailStep everywhere(String stepId) {
    return new FailStep(stepId, null);
  }

  /** Whether a step with this id fails on a node known by any of these host names. */
  boolean matches(String id, Collection<String> hostnames) {
    if (!stepId.equals(id)) {
      return false;
    }
    if (hostname == null) {
      return true;
    }
    for (String h : hostnames) {
      if (hostname.equalsIgnoreCase(h)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return hostname == null ? stepId : stepId + "@" + hostname;
  }
}
