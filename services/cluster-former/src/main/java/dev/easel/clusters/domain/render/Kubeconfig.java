package dev.easel.clusters.domain.render;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin kubeconfig, made usable from outside the cluster.
 *
 * <p>kubeadm writes the init node's own address, or the control-plane endpoint, into {@code
 * admin.conf}; a client outside must reach the API through the VIP, which keeps answering when that
 * node is down.
 */
public final class Kubeconfig {

  private Kubeconfig() {}

  /**
   * The kubeconfig with every {@code clusters[].cluster.server} set to {@code https://<vip>:6443};
   * everything else is kept. The VIP is among the API server's certificate names, so TLS still
   * verifies.
   *
   * @throws IllegalArgumentException when the text is not a kubeconfig with at least one cluster
   */
  public static String rewriteServer(String adminConf, String vip) {
    if (vip == null || vip.isBlank()) {
      throw new IllegalArgumentException("the VIP must not be blank");
    }
    ObjectNode config = RenderYaml.mapping(adminConf, "the kubeconfig");
    JsonNode clusters = config.get("clusters");
    if (clusters == null || !clusters.isArray() || clusters.isEmpty()) {
      throw new IllegalArgumentException("the kubeconfig lists no clusters");
    }
    String server = ApiEndpoint.url(vip.strip());
    for (JsonNode entry : clusters) {
      JsonNode cluster = entry.path("cluster");
      if (!cluster.isObject()) {
        throw new IllegalArgumentException(
            "cluster "
                + entry.path("name").asString("(unnamed)")
                + " of the kubeconfig has no cluster");
      }
      ((ObjectNode) cluster).put("server", server);
    }
    return RenderYaml.write(config);
  }
}
