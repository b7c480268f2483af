package dev.easel.clusters.domain.formation;

import dev.easel.clusters.domain.PublishedProfile;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.RegistryConfig;
import dev.easel.clusters.domain.render.LayerSteps;
import dev.easel.clusters.domain.render.LayerType;
import dev.easel.clusters.domain.render.Placeholders;
import dev.easel.clusters.domain.render.RenderLayer;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.clusters.domain.render.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cluster, its profile version and its secrets, as the renderer takes them: nodes with their
 * roles, labels and taints, and each layer with its values filled in and its cluster settings.
 */
public final class ClusterRendering {

  private ClusterRendering() {}

  /**
   * @throws IllegalArgumentException when something cannot be rendered (a taint that does not
   *     parse, a layer whose values are not YAML, a label the kubelet may not set...)
   */
  public static RenderRequest request(
      Cluster cluster, PublishedProfile profile, ClusterSecrets secrets) {
    ClusterConfig config = cluster.config();
    String kubernetes = profile.kubernetesVersion();
    if (kubernetes == null) {
      throw new IllegalArgumentException(
          "profile " + profile.name() + " " + profile.version() + " has no k8s layer");
    }
    Map<String, String> system = new LinkedHashMap<>();
    system.put("cluster.name", cluster.name());
    system.put("cluster.uid", cluster.id().toString());
    system.put("cluster.kubevip", config.vip());
    system.put("kubernetes.version", kubernetes);
    Map<String, String> variables = new LinkedHashMap<>();
    for (PublishedProfile.Variable v : profile.variables()) {
      if (v.defaultValue() != null) {
        variables.put(v.name(), v.defaultValue());
      }
    }
    variables.putAll(secrets.variables());

    List<RenderNode> nodes = new ArrayList<>();
    for (Member m : cluster.members()) {
      Cluster.Pool pool =
          cluster.pools().stream()
              .filter(p -> p.name().equals(m.pool()))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("node " + m.hostname() + " has no pool"));
      Map<String, String> labels = new LinkedHashMap<>(pool.labels());
      labels.put("easel.dev/pool", pool.name());
      List<Taint> taints = new ArrayList<>();
      for (String t : pool.taints()) {
        taints.add(taint(t));
      }
      nodes.add(new RenderNode(m.nodeId(), m.hostname(), m.role(), labels, taints));
    }

    RegistryConfig registry = config.registry();
    List<RenderLayer> layers = new ArrayList<>();
    for (PublishedProfile.Layer l : profile.layers()) {
      LayerType type = typeOf(l);
      if (type == LayerType.REGISTRY
          && registry != null
          && registry.mode() == RegistryConfig.Mode.EXTERNAL) {
        continue; // the cluster pulls from the operator's registry instead
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      if (type == LayerType.CSI) {
        parameters.put(LayerSteps.STORAGE_POOL_DEVICE, config.storagePoolDevice());
        parameters.put(LayerSteps.PLACEMENT_COUNT, String.valueOf(config.csiPlacementCount()));
      } else if (type == LayerType.REGISTRY && registry != null) {
        parameters.put(LayerSteps.PORT, String.valueOf(registry.port()));
        parameters.put("basePath", registry.basePath());
      }
      Map<String, String> layerVariables = new LinkedHashMap<>(variables);
      if (type == LayerType.REGISTRY && secrets.registryPassword() != null) {
        system.put("registry.password", secrets.registryPassword());
      }
      layers.add(
          new RenderLayer(
              l.name(),
              l.version(),
              type,
              Placeholders.resolve(l.values(), layerVariables, system),
              parameters));
      system.remove("registry.password");
    }

    return new RenderRequest(
        cluster.name(),
        cluster.id(),
        secrets.clusterToken(),
        config.vip(),
        config.podCidr(),
        config.serviceCidr(),
        kubernetes,
        config.ntpServers(),
        config.sshKeys(),
        nodes,
        layers);
  }

  /**
   * The layer's place in the stack. Packs declare a registry as an add-on of type registry, which
   * the published profile does not carry; a Zot pack, or one named for a registry, is taken as one.
   */
  static LayerType typeOf(PublishedProfile.Layer l) {
    String name = l.name() == null ? "" : l.name().toLowerCase(Locale.ROOT);
    if ("addon".equalsIgnoreCase(l.layer())
        && (name.startsWith("zot") || name.contains("registry"))) {
      return LayerType.REGISTRY;
    }
    return LayerType.of(l.layer());
  }

  /** {@code key[=value]:Effect}. */
  static Taint taint(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException(
          "taint '" + text + "' must be key[=value]:NoSchedule|PreferNoSchedule|NoExecute");
    }
    String kv = text.substring(0, colon);
    int eq = kv.indexOf('=');
    return new Taint(
        eq < 0 ? kv : kv.substring(0, eq),
        eq < 0 ? "" : kv.substring(eq + 1),
        text.substring(colon + 1));
  }
}
