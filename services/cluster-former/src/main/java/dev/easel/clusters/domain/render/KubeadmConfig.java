package dev.easel.clusters.domain.render;

import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kubeadm configuration of one node, as provider-kubeadm reads Kairos' {@code cluster.config}.
 *
 * <p>The provider does not take kubeadm's own multi-document file. It reads one YAML mapping with
 * the keys {@code clusterConfiguration}, {@code initConfiguration}, {@code joinConfiguration} and
 * {@code kubeletConfiguration} (its {@code KubeadmConfig} type), fills in the bootstrap token, the
 * certificate key and the join discovery from the cluster token and {@code control_plane_host}, and
 * writes the kubeadm documents itself. A multi-document string would be read as its first document
 * only, and its top-level {@code apiVersion} and {@code kind} ignored, leaving kubeadm on its
 * defaults. Each section still names its {@code apiVersion} and {@code kind}: the Go types embed
 * them inline, so the provider accepts them, and they record which schema the section follows.
 *
 * <p>The Kubernetes layer's own {@code cluster.config} is the starting point (the hardening of the
 * PXK-E pack: API server arguments, the etcd data directory, the kubelet settings); the cluster's
 * settings and the node's registration are laid over it.
 */
final class KubeadmConfig {

  static final String KUBEADM_API = "kubeadm.k8s.io/v1beta4";
  static final String KUBELET_API = "kubelet.config.k8s.io/v1beta1";

  private static final String NODE_LABELS = "node-labels";

  private KubeadmConfig() {}

  static ObjectNode of(RenderRequest request, RenderNode node) {
    String where = "cluster.config";
    ObjectNode base = base(request);
    ObjectNode out = RenderYaml.NODES.objectNode();
    out.set("clusterConfiguration", clusterConfiguration(request, base, where));
    if (node.role() == NodeRole.INIT) {
      out.set(
          "initConfiguration",
          registration(base, "initConfiguration", "InitConfiguration", node, where));
    } else {
      ObjectNode join = registration(base, "joinConfiguration", "JoinConfiguration", node, where);
      if (node.role() == NodeRole.CONTROL_PLANE) {
        // Present, even empty, is what makes kubeadm join as a control plane; the provider fills in
        // the certificate key and the advertise address.
        RenderYaml.object(join, "controlPlane", where + ".joinConfiguration");
      } else {
        join.remove("controlPlane");
      }
      out.set("joinConfiguration", join);
    }
    JsonNode kubelet = base.get("kubeletConfiguration");
    if (kubelet != null && !kubelet.isNull()) {
      out.set(
          "kubeletConfiguration",
          typed(KUBELET_API, "KubeletConfiguration", kubelet, where + ".kubeletConfiguration"));
    }
    return out;
  }

  /** The Kubernetes layer's {@code cluster.config}, a YAML string in the PXK-E pack. */
  private static ObjectNode base(RenderRequest request) {
    return request
        .layer(LayerType.K8S)
        .map(
            layer -> {
              String where = "layer " + layer.name();
              ObjectNode values = RenderYaml.mapping(layer.valuesYaml(), "the values of " + where);
              JsonNode config = values.path("cluster").path("config");
              if (config.isMissingNode() || config.isNull()) {
                return RenderYaml.NODES.objectNode();
              }
              if (config.isString()) {
                return RenderYaml.mapping(config.stringValue(), "cluster.config of " + where);
              }
              if (config.isObject()) {
                return (ObjectNode) config.deepCopy();
              }
              throw new IllegalArgumentException(
                  "cluster.config of " + where + " must be a YAML mapping or a string holding one");
            })
        .orElseGet(RenderYaml.NODES::objectNode);
  }

  private static ObjectNode clusterConfiguration(
      RenderRequest request, ObjectNode base, String where) {
    String at = where + ".clusterConfiguration";
    ObjectNode config =
        typed(KUBEADM_API, "ClusterConfiguration", base.get("clusterConfiguration"), at);
    config.put("kubernetesVersion", request.kubeadmVersion());
    config.put("controlPlaneEndpoint", ApiEndpoint.hostPort(request.vip()));
    ObjectNode networking = RenderYaml.object(config, "networking", at);
    networking.put("podSubnet", request.podCidr());
    networking.put("serviceSubnet", request.serviceCidr());
    ArrayNode sans =
        RenderYaml.array(RenderYaml.object(config, "apiServer", at), "certSANs", at + ".apiServer");
    boolean listed = false;
    for (JsonNode san : sans) {
      listed |= san.isString() && san.stringValue().equals(request.vip());
    }
    if (!listed) {
      sans.add(request.vip());
    }
    return config;
  }

  private static ObjectNode registration(
      ObjectNode base, String key, String kind, RenderNode node, String where) {
    String at = where + "." + key;
    ObjectNode config = typed(KUBEADM_API, kind, base.get(key), at);
    ObjectNode registration = RenderYaml.object(config, "nodeRegistration", at);
    at += ".nodeRegistration";
    registration.set("kubeletExtraArgs", kubeletArgs(registration, node, at));
    ArrayNode taints = registration.putArray("taints");
    for (Taint t : node.taints()) {
      ObjectNode taint = taints.addObject();
      taint.put("key", t.key());
      if (!t.value().isEmpty()) {
        taint.put("value", t.value());
      }
      taint.put("effect", t.effect());
    }
    return config;
  }

  /**
   * The kubelet arguments in v1beta4's list form ({@code - name: x, value: y}), with the node's
   * labels added to any the pack sets. A v1beta3 mapping is turned into the list.
   */
  private static ArrayNode kubeletArgs(ObjectNode registration, RenderNode node, String where) {
    JsonNode given = registration.get("kubeletExtraArgs");
    ArrayNode args = RenderYaml.NODES.arrayNode();
    Map<String, String> labels = new TreeMap<>();
    if (given != null && given.isObject()) {
      for (Map.Entry<String, JsonNode> e : given.properties()) {
        ObjectNode arg = RenderYaml.NODES.objectNode();
        arg.put("name", e.getKey());
        arg.set("value", e.getValue().deepCopy());
        args.add(arg);
      }
    } else if (given != null && given.isArray()) {
      args.addAll((ArrayNode) given.deepCopy());
    } else if (given != null && !given.isNull()) {
      throw new IllegalArgumentException(where + ".kubeletExtraArgs must be a list");
    }
    for (int i = args.size() - 1; i >= 0; i--) {
      JsonNode arg = args.get(i);
      if (NODE_LABELS.equals(arg.path("name").asString(""))) {
        for (String pair : arg.path("value").asString("").split(",")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            labels.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
          }
        }
        args.remove(i);
      }
    }
    labels.putAll(node.labels());
    if (!labels.isEmpty()) {
      StringJoiner value = new StringJoiner(",");
      labels.forEach((k, v) -> value.add(k + "=" + v));
      ObjectNode arg = args.addObject();
      arg.put("name", NODE_LABELS);
      arg.put("value", value.toString());
    }
    return args;
  }

  /** A copy of the section led by its {@code apiVersion} and {@code kind}. */
  private static ObjectNode typed(String apiVersion, String kind, JsonNode section, String where) {
    ObjectNode out = RenderYaml.NODES.objectNode();
    out.put("apiVersion", apiVersion);
    out.put("kind", kind);
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      throw new IllegalArgumentException(where + " must be a mapping");
    }
    for (Map.Entry<String, JsonNode> e : section.properties()) {
      if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind")) {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}
