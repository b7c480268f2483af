package dev.easel.clusters.domain.render;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the Kairos cloud-config that turns one node into a member of the cluster.
 *
 * <p>The document holds the node's own settings and its part in the cluster:
 *
 * <ul>
 *   <li>{@code hostname};
 *   <li>{@code users}: the {@code kairos} user as the operating-system layer defines it (its groups
 *       and password lock), with the cluster's SSH keys;
 *   <li>{@code stages}: the Kubernetes layer's stages (kernel settings the kubelet checks, files
 *       such as the API server's audit policy), and, when the cluster names NTP servers, a {@code
 *       boot} stage that sets them through the {@code timesyncd} module;
 *   <li>{@code cluster}: the Kairos cluster plugin's block, exactly {@code cluster_token}, {@code
 *       control_plane_host} (the VIP), {@code role} and {@code config}, the kubeadm configuration
 *       provider-kubeadm reads (see {@link KubeadmConfig}).
 * </ul>
 *
 * <p>The rest of the operating-system layer (install settings, its own stages) is written by the
 * node agent, which lays this document over it.
 */
public final class CloudConfigRenderer {

  /** The first line Kairos looks for. */
  public static final String HEADER = "#cloud-config";

  /** An octal file mode as written in YAML, {@code 0600} or {@code 0o600}. */
  private static final Pattern OCTAL = Pattern.compile("0o?([0-7]+)");

  private CloudConfigRenderer() {}

  /**
   * The cloud-config of {@code node}.
   *
   * @throws IllegalArgumentException when the node is not one of the request's, or a layer's values
   *     are not the YAML expected
   */
  public static String render(RenderRequest request, RenderNode node) {
    if (!request.nodes().contains(node)) {
      throw new IllegalArgumentException(
          "node " + node.hostname() + " is not one of cluster " + request.clusterName() + "'s");
    }
    ObjectNode doc = RenderYaml.NODES.objectNode();
    doc.put("hostname", node.hostname());
    doc.putArray("users").add(kairosUser(request));
    ObjectNode stages = stages(request);
    if (!stages.isEmpty()) {
      doc.set("stages", stages);
    }
    ObjectNode cluster = doc.putObject("cluster");
    cluster.put("cluster_token", request.clusterToken());
    cluster.put("control_plane_host", request.vip());
    cluster.put("role", node.role().kairosName());
    cluster.put("config", RenderYaml.write(KubeadmConfig.of(request, node)));
    return HEADER + "\n" + RenderYaml.write(doc);
  }

  private static ObjectNode kairosUser(RenderRequest request) {
    ObjectNode user = RenderYaml.NODES.objectNode();
    user.put("name", "kairos");
    request
        .layer(LayerType.OS)
        .ifPresent(
            os -> {
              JsonNode users =
                  RenderYaml.mapping(os.valuesYaml(), "the values of layer " + os.name())
                      .path("kairos")
                      .path("users");
              for (JsonNode u : users) {
                if (u.isObject() && "kairos".equals(u.path("name").asString(""))) {
                  for (Map.Entry<String, JsonNode> e : u.properties()) {
                    if (!e.getKey().equals("name") && !e.getKey().equals("ssh_authorized_keys")) {
                      user.set(e.getKey(), e.getValue().deepCopy());
                    }
                  }
                }
              }
            });
    ArrayNode keys = user.putArray("ssh_authorized_keys");
    request.sshKeys().forEach(keys::add);
    return user;
  }

  private static ObjectNode stages(RenderRequest request) {
    ObjectNode stages = RenderYaml.NODES.objectNode();
    request
        .layer(LayerType.K8S)
        .ifPresent(
            k8s -> {
              String where = "layer " + k8s.name() + ": stages";
              JsonNode given =
                  RenderYaml.mapping(k8s.valuesYaml(), "the values of layer " + k8s.name())
                      .path("stages");
              if (given.isMissingNode() || given.isNull()) {
                return;
              }
              if (!given.isObject()) {
                throw new IllegalArgumentException(where + " must be a mapping of stage lists");
              }
              for (Map.Entry<String, JsonNode> e : given.properties()) {
                if (!e.getValue().isArray()) {
                  throw new IllegalArgumentException(where + "." + e.getKey() + " must be a list");
                }
                ArrayNode into = RenderYaml.array(stages, e.getKey(), where);
                for (JsonNode stage : e.getValue()) {
                  into.add(withNumericModes(stage.deepCopy()));
                }
              }
            });
    if (!request.ntpServers().isEmpty()) {
      ObjectNode ntp = RenderYaml.array(stages, "boot", "stages").addObject();
      ntp.put("name", "Time synchronisation");
      ObjectNode timesyncd = ntp.putObject("timesyncd");
      timesyncd.put("NTP", String.join(" ", request.ntpServers()));
      // Without this, systemd-timesyncd falls back to the distribution's servers when the given
      // ones do not answer, which an air-gapped site does not want.
      timesyncd.put("FallbackNTP", "");
      ntp.putObject("systemctl").putArray("enable").add("systemd-timesyncd");
    }
    return stages;
  }

  /**
   * The stage with each {@code permissions} of its files and directories as a number. yip reads a
   * mode into an integer: a plain {@code 0600} is octal to it, but Jackson reads that scalar as the
   * string "0600", and a quoted string would not load. The octal value written in decimal (384)
   * means the same mode to every YAML reader.
   */
  private static JsonNode withNumericModes(JsonNode stage) {
    for (String list : new String[] {"files", "directories"}) {
      for (JsonNode entry : stage.path(list)) {
        JsonNode mode = entry.get("permissions");
        if (entry.isObject() && mode != null && mode.isString()) {
          Matcher m = OCTAL.matcher(mode.stringValue().strip());
          if (m.matches()) {
            ((ObjectNode) entry).put("permissions", Integer.parseInt(m.group(1), 8));
          }
        }
      }
    }
    return stage;
  }
}
