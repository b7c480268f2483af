package dev.easel.clusters.domain.formation;

import dev.easel.clusters.domain.render.CloudConfigRenderer;
import dev.easel.clusters.domain.render.HealthSteps;
import dev.easel.clusters.domain.render.KubeconfigStep;
import dev.easel.clusters.domain.render.LayerSteps;
import dev.easel.clusters.domain.render.NodeRole;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.clusters.domain.render.RenderedStep;
import dev.easel.contracts.nodes.PlanStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plans a cluster's nodes run, as node-discovery's {@link PlanStep}s: install or join with the
 * node's cloud-config, apply the layers, check health, read the kubeconfig, and reset. Every file a
 * step needs travels as a secret file: cloud-configs hold the cluster token, layer values hold
 * passwords.
 */
public final class NodePlans {

  /** Where Kairos reads extra cloud-config from; the cluster plugin finds its block there. */
  public static final String CLOUD_CONFIG_PATH = "/oem/90_easel_cluster.yaml";

  /** Step ids, which the agent simulator reads as the kind of work a step does. */
  public static final String INSTALL = "install";

  public static final String JOIN = "join";
  public static final String RESET_KUBEADM = "reset-kubeadm";
  public static final String RESET_KAIROS = "reset-kairos";

  /**
   * Runs the Kairos boot stage, which brings the node into the cluster through the cluster plugin,
   * then waits until the kubelet has its credentials.
   */
  static final String INSTALL_COMMAND =
      "kairos-agent run-stage boot && timeout 1800 sh -c"
          + " 'until test -s /etc/kubernetes/kubelet.conf; do sleep 5; done'";

  /** kubeadm's reset, then the cluster's cloud-config removed and Kairos reset to a clean state. */
  static final String RESET_KUBEADM_COMMAND = "kubeadm reset --force && rm -rf /etc/cni/net.d";

  static final String RESET_KAIROS_COMMAND =
      "rm -f " + CLOUD_CONFIG_PATH + " && kairos-agent reset --unattended";

  private NodePlans() {}

  /**
   * The one step that brings a node into the cluster: {@code install} on init, else {@code join}.
   */
  public static List<PlanStep> install(RenderRequest request, UUID nodeId, Duration timeout) {
    RenderNode node =
        request.nodes().stream()
            .filter(n -> n.id().equals(nodeId))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("node " + nodeId + " is not listed"));
    boolean init = node.role() == NodeRole.INIT;
    return List.of(
        new PlanStep(
            init ? INSTALL : JOIN,
            (init ? "Initialise the cluster on " : "Join the cluster as ")
                + (init ? node.hostname() : node.role().kairosName() + " " + node.hostname()),
            INSTALL_COMMAND,
            null,
            null,
            seconds(timeout),
            0,
            Map.of(CLOUD_CONFIG_PATH, CloudConfigRenderer.render(request, node))));
  }

  /** One step per layer applied to the cluster, run on the init node; empty when there is none. */
  public static List<PlanStep> layers(RenderRequest request, Duration timeout) {
    List<PlanStep> steps = new ArrayList<>();
    for (RenderedStep s : LayerSteps.render(request)) {
      steps.add(step(s, timeout, 1));
    }
    return steps;
  }

  /** Lists the nodes and their Ready condition, after waiting for them to be Ready. */
  public static List<PlanStep> health(Duration timeout) {
    return List.of(step(HealthSteps.nodes(), timeout, 2));
  }

  /** Prints the admin kubeconfig. */
  public static List<PlanStep> kubeconfig() {
    return List.of(step(KubeconfigStep.fetch(), Duration.ofMinutes(1), 2));
  }

  /** Undoes whatever a node did for the cluster; harmless on a node that never joined. */
  public static List<PlanStep> reset(Duration timeout) {
    return List.of(
        new PlanStep(
            RESET_KUBEADM,
            "Reset kubeadm",
            RESET_KUBEADM_COMMAND,
            null,
            null,
            seconds(timeout),
            1,
            null),
        new PlanStep(
            RESET_KAIROS,
            "Remove the cluster's cloud-config and reset Kairos",
            RESET_KAIROS_COMMAND,
            null,
            null,
            seconds(timeout),
            1,
            null));
  }

  /**
   * Cordons and drains a node, then deletes it from Kubernetes; run on the init node. Pods with
   * local data are evicted too: the node is leaving.
   */
  public static List<PlanStep> drain(String hostname, Duration timeout) {
    String node = hostname.toLowerCase(java.util.Locale.ROOT);
    return List.of(
        new PlanStep(
            "drain",
            "Drain " + node,
            dev.easel.clusters.domain.render.Shell.join(
                List.of(
                    "kubectl",
                    "--kubeconfig",
                    LayerSteps.ADMIN_CONF,
                    "drain",
                    node,
                    "--ignore-daemonsets",
                    "--delete-emptydir-data",
                    "--timeout=" + seconds(timeout) + "s")),
            null,
            null,
            seconds(timeout) + 60,
            1,
            null),
        new PlanStep(
            "delete-node",
            "Delete " + node + " from Kubernetes",
            dev.easel.clusters.domain.render.Shell.join(
                List.of(
                    "kubectl",
                    "--kubeconfig",
                    LayerSteps.ADMIN_CONF,
                    "delete",
                    "node",
                    node,
                    "--ignore-not-found")),
            null,
            null,
            120,
            2,
            null));
  }

  /** Lets a drained node take pods again; undoes a drain that went no further. */
  public static List<PlanStep> uncordon(String hostname) {
    String node = hostname.toLowerCase(java.util.Locale.ROOT);
    return List.of(
        new PlanStep(
            "uncordon",
            "Uncordon " + node,
            dev.easel.clusters.domain.render.Shell.join(
                    List.of("kubectl", "--kubeconfig", LayerSteps.ADMIN_CONF, "uncordon", node))
                + " || true",
            null,
            null,
            120,
            2,
            null));
  }

  private static PlanStep step(RenderedStep s, Duration timeout, int retries) {
    return new PlanStep(
        s.id(), s.name(), s.command(), null, null, seconds(timeout), retries, s.files());
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, Math.min(d.toSeconds(), 24 * 3600));
  }
}
