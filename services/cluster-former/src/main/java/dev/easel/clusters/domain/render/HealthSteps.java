package dev.easel.clusters.domain.render;

import java.util.List;
import java.util.Map;

/** The step that lists the cluster's nodes, for {@link NodesHealth#parse}. */
public final class HealthSteps {

  /**
   * Prints, as JSON, each node's name and conditions: the parts of {@code kubectl get nodes -o
   * json} that {@link NodesHealth#parse} reads. The whole list is 5 to 8 KiB a node, over
   * node-discovery's 16 KiB cap on a step's output from three nodes on; this is about 400 bytes a
   * node.
   */
  static final String NODES_TEMPLATE =
      "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
          + "{{range $i, $n := .items}}{{if $i}},{{end}}"
          + "{\"metadata\":{\"name\":\"{{$n.metadata.name}}\"},\"status\":{\"conditions\":["
          + "{{range $j, $c := $n.status.conditions}}{{if $j}},{{end}}"
          + "{\"type\":\"{{$c.type}}\",\"status\":\"{{$c.status}}\"}{{end}}]}}{{end}}]}";

  /** Waits up to ten minutes for every node to be Ready, then lists them with their conditions. */
  public static final String NODES_COMMAND =
      Shell.join(
              List.of(
                  "kubectl",
                  "--kubeconfig",
                  LayerSteps.ADMIN_CONF,
                  "wait",
                  "--for=condition=Ready",
                  "node",
                  "--all",
                  "--timeout=600s"))
          + " >/dev/null && "
          + Shell.join(
              List.of(
                  "kubectl",
                  "--kubeconfig",
                  LayerSteps.ADMIN_CONF,
                  "get",
                  "nodes",
                  "-o",
                  "go-template=" + NODES_TEMPLATE));

  private HealthSteps() {}

  /** Run on a control-plane node; read-only, so safe to repeat until the nodes are Ready. */
  public static RenderedStep nodes() {
    return new RenderedStep(
        "check-nodes", "Check that every node is Ready", NODES_COMMAND, Map.of());
  }
}
