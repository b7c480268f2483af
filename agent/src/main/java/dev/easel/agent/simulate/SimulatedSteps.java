package dev.easel.agent.simulate;

import dev.easel.agent.server.ServerApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * What a step does on a simulated node and what it prints: nodes form clusters through {@code
 * install} and {@code join}, leave them through a reset, and answer kubectl and {@code cat
 * admin.conf} as a member would. Every other step only says what it would have run.
 */
final class SimulatedSteps {

  static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
  static final String RESET_KAIROS = "reset-kairos";

  private final SimulatedCluster cluster;
  private final FailureInjection failures;
  private final Random random;

  SimulatedSteps(SimulatedCluster cluster, FailureInjection failures, Random random) {
    this.cluster = cluster;
    this.failures = failures;
    this.random = random;
  }

  /**
   * Runs the step on the node.
   *
   * @param randomFailure whether the step fails by {@code --failure-rate}'s draw
   * @param durationMs how long the step is reported to have taken
   */
  ServerApi.StepResult run(
      SimulatedNode n, ServerApi.Step step, boolean randomFailure, long durationMs) {
    Optional<CloudConfig> config = CloudConfig.of(step);
    config.map(CloudConfig::hostname).ifPresent(h -> n.configuredHostname = h);
    UUID node = n.identity.nodeId();
    Optional<SimulatedCluster.Member> membership = cluster.membership(node);
    String vip =
        config
            .map(CloudConfig::controlPlaneHost)
            .or(() -> membership.map(SimulatedCluster.Member::vip))
            .orElse(null);
    if (failures.fails(step.id(), hostnames(n, membership))) {
      return failed(
          step, FailureInjection.reason(step.id()), FailureInjection.output(step, vip), durationMs);
    }
    if (randomFailure) {
      return failed(
          step, "simulated failure", "simulated failure of: " + describe(step) + "\n", durationMs);
    }
    String ran = "simulated: " + describe(step) + "\n";
    switch (StepKind.of(step.id())) {
      case INSTALL:
      case JOIN:
        return succeeded(step, ran + formed(n, step, config), durationMs);
      case RESET:
        cluster.leave(node);
        if (RESET_KAIROS.equals(step.id())) {
          n.configuredHostname = null; // the cloud-config is removed and Kairos reset
        }
        return succeeded(step, ran, durationMs);
      case HEALTH:
        if (membership.isEmpty()) {
          return failed(
              step,
              null,
              "error: stat " + ADMIN_CONF + ": no such file or directory\n",
              durationMs);
        }
        return succeeded(step, cluster.nodeList(membership.get().vip()), durationMs);
      case KUBECONFIG:
        if (membership.isEmpty()) {
          return failed(
              step, null, "cat: " + ADMIN_CONF + ": No such file or directory\n", durationMs);
        }
        String server = "https://" + Profiles.address(n.identity.index()) + ":6443";
        return succeeded(
            step, AdminConf.render(server, membership.get().vip(), random), durationMs);
      default:
        return succeeded(step, ran, durationMs);
    }
  }

  /** Makes the node a member of the cluster its cloud-config names, and says what kubeadm would. */
  private String formed(SimulatedNode n, ServerApi.Step step, Optional<CloudConfig> config) {
    String vip = config.map(CloudConfig::controlPlaneHost).orElse(null);
    if (vip == null) {
      return "no control_plane_host in " + CloudConfig.FILE + ": the node joined no cluster\n";
    }
    boolean install = StepKind.of(step.id()) == StepKind.INSTALL;
    String role = config.map(CloudConfig::role).orElse(install ? "init" : "worker");
    String hostname = config.map(CloudConfig::hostname).orElse(n.identity.hostname());
    SimulatedCluster.Member m = cluster.join(n.identity.nodeId(), vip, hostname, role);
    if ("init".equals(role)) {
      return "Your Kubernetes control-plane has initialized successfully!\n";
    }
    return m.controlPlane()
        ? "This node has joined the cluster and a new control plane instance was created.\n"
        : "This node has joined the cluster.\n";
  }

  /** Every name the node goes by: its simulated one, and the one its cluster config gives it. */
  private static List<String> hostnames(
      SimulatedNode n, Optional<SimulatedCluster.Member> membership) {
    List<String> names = new ArrayList<>(3);
    names.add(n.identity.hostname());
    if (n.configuredHostname != null) {
      names.add(n.configuredHostname);
    }
    membership.ifPresent(m -> names.add(m.hostname()));
    return names;
  }

  /** The command a step runs, or the action it takes. */
  static String describe(ServerApi.Step step) {
    return step.command() != null ? step.command() : "action " + step.action();
  }

  private static ServerApi.StepResult succeeded(
      ServerApi.Step step, String output, long durationMs) {
    return new ServerApi.StepResult(step.attempt(), "SUCCEEDED", 0, null, output, durationMs);
  }

  /** A failure with exit code 1; a null reason is the real agent's {@code exit code 1}. */
  private static ServerApi.StepResult failed(
      ServerApi.Step step, String reason, String output, long durationMs) {
    return new ServerApi.StepResult(
        step.attempt(), "FAILED", 1, reason == null ? "exit code 1" : reason, output, durationMs);
  }
}
