package dev.easel.agent.simulate;

import dev.easel.agent.server.ServerApi;
import java.util.Collection;
import java.util.List;

/**
 * The steps told to fail ({@code --fail-step}), and what a failed step prints: the last lines the
 * real tool prints when that step fails, so whoever reads the result sees the failure they would
 * meet on a real node.
 */
final class FailureInjection {

  private final List<FailStep> failing;

  FailureInjection(List<FailStep> failing) {
    this.failing = List.copyOf(failing);
  }

  /** Whether a step with this id fails on a node known by any of these host names. */
  boolean fails(String stepId, Collection<String> hostnames) {
    for (FailStep f : failing) {
      if (f.matches(stepId, hostnames)) {
        return true;
      }
    }
    return false;
  }

  /** The reason reported for a step failed on purpose. */
  static String reason(String stepId) {
    return "simulated failure of step " + stepId;
  }

  /**
   * What the step prints when it fails.
   *
   * @param vip the node's control-plane host; null when it has none
   */
  static String output(ServerApi.Step step, String vip) {
    String api = (vip == null ? "127.0.0.1" : vip) + ":6443";
    switch (StepKind.of(step.id())) {
      case INSTALL:
        return "[init] Using Kubernetes version: "
            + SimulatedCluster.KUBELET_VERSION
            + "\n[preflight] Running pre-flight checks\n"
            + "[wait-control-plane] Waiting for the kubelet to boot up the control plane as static"
            + " Pods from directory \"/etc/kubernetes/manifests\"\n"
            + "[kubelet-check] The kubelet is not healthy after 4m0s\n"
            + "error execution phase wait-control-plane: could not initialize a Kubernetes cluster\n"
            + "To see the stack trace of this error execute with --v=5 or higher\n";
      case JOIN:
        return "[preflight] Running pre-flight checks\n"
            + "error execution phase preflight: couldn't validate the identity of the API Server:"
            + " failed to request the cluster-info ConfigMap: Get \"https://"
            + api
            + "/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp "
            + api
            + ": connect: connection refused\n"
            + "To see the stack trace of this error execute with --v=5 or higher\n";
      case APPLY:
        if (step.command() != null && step.command().contains("helm")) {
          return "Release \""
              + step.id().substring("layer-".length())
              + "\" does not exist. Installing it now.\n"
              + "Error: INSTALLATION FAILED: context deadline exceeded\n";
        }
        return refused(api);
      case HEALTH:
        return refused(api);
      case KUBECONFIG:
        return "cat: " + SimulatedSteps.ADMIN_CONF + ": No such file or directory\n";
      case RESET:
        if ("reset-kubeadm".equals(step.id())) {
          return "[reset] Reading configuration from the cluster...\n"
              + "[preflight] Running pre-flight checks\n"
              + "error execution phase cleanup-node: failed to unmount mounted directories in"
              + " /var/lib/kubelet: device or resource busy\n"
              + "To see the stack trace of this error execute with --v=5 or higher\n";
        }
        return "Error: failed to reset the node: umount /oem: target is busy\n";
      default:
        return "simulated failure of: " + SimulatedSteps.describe(step) + "\n";
    }
  }

  /** What kubectl prints when the API server does not answer. */
  private static String refused(String api) {
    return "E0312 10:02:03.123456    2481 memcache.go:265] \"Unhandled Error\" err=\"couldn't get"
        + " current server API group list: Get \\\"https://"
        + api
        + "/api?timeout=32s\\\": dial tcp "
        + api
        + ": connect: connection refused\"\n"
        + "The connection to the server "
        + api
        + " was refused - did you specify the right host or port?\n";
  }
}
