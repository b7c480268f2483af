package dev.easel.clusters.domain.render;

import java.util.List;
import java.util.Map;

/** The step that lists the cluster's nodes, for {@link NodesHealth#parse}. */
public final class HealthSteps {

  /** Lists every node with its conditions, as JSON. */
  public static final String NODES_COMMAND =
      Shell.join(
          List.of("kubectl", "--kubeconfig", LayerSteps.ADMIN_CONF, "get", "nodes", "-o", "json"));

  private HealthSteps() {}

  /** Run on a control-plane node; read-only, so safe to repeat until the nodes are Ready. */
  public static RenderedStep nodes() {
    return new RenderedStep(
        "check-nodes", "Check that every node is Ready", NODES_COMMAND, Map.of());
  }
}
