package dev.easel.clusters.domain.render;

import java.util.List;
import java.util.Map;

/**
 * The step that reads the cluster's admin kubeconfig from the init node, for {@link
 * Kubeconfig#rewriteServer}. Its output is a credential: it is handed on, never logged.
 */
public final class KubeconfigStep {

  /** Prints the admin kubeconfig. */
  public static final String COMMAND = Shell.join(List.of("cat", LayerSteps.ADMIN_CONF));

  private KubeconfigStep() {}

  /** Read-only, so safe to repeat. */
  public static RenderedStep fetch() {
    return new RenderedStep("fetch-kubeconfig", "Read the admin kubeconfig", COMMAND, Map.of());
  }
}
