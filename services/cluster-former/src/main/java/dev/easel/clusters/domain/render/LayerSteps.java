package dev.easel.clusters.domain.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The steps that install the layers deployed into the cluster (networking, storage, the registry
 * and other add-ons), run on the init node once the API server answers.
 *
 * <p>Steps come in {@link LayerType} order, and in profile order within a type: nothing schedules
 * before the network is up, and the registry claims a volume from the storage layer. Each writes
 * the layer's values under {@value #LAYERS_DIR}, then runs Helm (or kubectl, for a layer without a
 * chart) against {@value #ADMIN_CONF}. Both are idempotent, so a step that timed out, with the
 * outcome unknown, is simply run again.
 *
 * <p>A chart layer is a pack whose values list a chart in {@code pack.content.charts}; the first
 * one is installed, as release {@code <layer name>}, in {@code pack.namespace}, with the chart's
 * part of the values ({@code charts.<chart name>}, as Palette packs keep it). A layer without a
 * chart is a manifest layer: its manifests, delivered with the pack's content into the layer's
 * {@code manifests} directory, are applied as they are.
 */
public final class LayerSteps {

  /** The kubeconfig kubeadm writes on a control-plane node; cluster-admin. */
  public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";

  /** Where each layer's files go, one directory per layer. */
  public static final String LAYERS_DIR = "/var/lib/easel/layers";

  /**
   * How long Helm waits for a release to be ready. Piraeus builds or loads the DRBD module on every
   * node before its satellites are ready, which takes minutes.
   */
  static final String HELM_TIMEOUT = "15m";

  /** The CSI parameter naming the disk each node gives to the storage pool. */
  public static final String STORAGE_POOL_DEVICE = "storagePoolDevice";

  /** The CSI parameter for the replicas of each volume. */
  public static final String PLACEMENT_COUNT = "placementCount";

  /** The registry parameter for the node port it listens on. */
  public static final String PORT = "port";

  /*
   * Quoting keeps the shell out, but Helm would still take a value that starts with a dash for an
   * option (a chart named --post-renderer=...), and pack values come from anyone who can upload a
   * pack: chart references must look like what they are.
   */
  private static final Pattern CHART_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern CHART_REPO = Pattern.compile("(oci|https?)://[^\\s]+");
  private static final Pattern CHART_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+_-]*");

  private LayerSteps() {}

  /**
   * The steps, one per layer applied to the cluster.
   *
   * @throws IllegalArgumentException when a layer's values are not YAML, or a parameter is out of
   *     range
   */
  public static List<RenderedStep> render(RenderRequest request) {
    List<RenderLayer> layers = new ArrayList<>();
    for (RenderLayer layer : request.layers()) {
      if (layer.type().appliedToCluster()) {
        layers.add(layer);
      }
    }
    // List.sort is stable: profile order holds within a type.
    layers.sort(Comparator.comparing(RenderLayer::type));
    List<RenderedStep> steps = new ArrayList<>();
    for (RenderLayer layer : layers) {
      steps.add(step(layer));
    }
    return List.copyOf(steps);
  }

  private static RenderedStep step(RenderLayer layer) {
    String where = "layer " + layer.name();
    ObjectNode values = RenderYaml.mapping(layer.valuesYaml(), "the values of " + where);
    String namespace = namespace(layer, values);
    String dir = LAYERS_DIR + "/" + layer.name();
    String valuesFile = dir + "/values.yaml";
    String name =
        "Install " + layer.type().packName() + " layer " + layer.name() + " " + layer.version();
    Map<String, String> files = new LinkedHashMap<>();

    JsonNode chart = values.path("pack").path("content").path("charts").path(0);
    String chartName = chart.path("name").asString("");
    if (chartName.isBlank()) {
      files.put(valuesFile, RenderYaml.write(values));
      return new RenderedStep(
          "layer-" + layer.name(), name, manifestCommand(namespace, dir), files);
    }

    requireArgument(chartName, CHART_NAME, where + ": chart name");
    JsonNode chartValues = values.path("charts").path(chartName);
    files.put(
        valuesFile,
        RenderYaml.write(chartValues.isObject() ? chartValues : RenderYaml.NODES.objectNode()));
    List<String> helm = new ArrayList<>(List.of("helm", "upgrade", "--install", layer.name()));
    String repo = chart.path("repo").asString("").strip();
    if (!repo.isEmpty()) {
      requireArgument(repo, CHART_REPO, where + ": chart repository");
    }
    if (repo.startsWith("oci://")) {
      helm.add(stripTrailingSlash(repo) + "/" + chartName);
    } else {
      helm.add(chartName);
      if (!repo.isEmpty()) {
        helm.addAll(List.of("--repo", repo));
      }
    }
    String version = chart.path("version").asString("").strip();
    if (!version.isEmpty()) {
      requireArgument(version, CHART_VERSION, where + ": chart version");
      helm.addAll(List.of("--version", version));
    }
    helm.addAll(
        List.of(
            "--namespace",
            namespace,
            "--create-namespace",
            "--kubeconfig",
            ADMIN_CONF,
            "--wait",
            "--timeout",
            HELM_TIMEOUT,
            "--values",
            valuesFile));
    helm.addAll(settings(layer, where));
    return new RenderedStep("layer-" + layer.name(), name, Shell.join(helm), files);
  }

  /**
   * The cluster settings a layer takes on the command line. The storage settings are strings
   * because a StorageClass's parameters are.
   */
  private static List<String> settings(RenderLayer layer, String where) {
    List<String> set = new ArrayList<>();
    Map<String, String> p = layer.parameters();
    if (layer.type() == LayerType.CSI) {
      String device = p.get(STORAGE_POOL_DEVICE);
      if (device != null) {
        if (!device.startsWith("/")) {
          throw new IllegalArgumentException(
              where + ": " + STORAGE_POOL_DEVICE + " must be a device path, not '" + device + "'");
        }
        set.addAll(List.of("--set-string", "storagePool.hostDevices[0]=" + helmValue(device)));
      }
      String count = p.get(PLACEMENT_COUNT);
      if (count != null) {
        // DRBD 9 replicates a volume to at most 32 nodes.
        int n = number(count, 1, 32, where + ": " + PLACEMENT_COUNT);
        set.addAll(List.of("--set-string", "storageClass.placementCount=" + n));
      }
    } else if (layer.type() == LayerType.REGISTRY) {
      String port = p.get(PORT);
      if (port != null) {
        int n = number(port, 1, 65535, where + ": " + PORT);
        set.addAll(List.of("--set", "service.nodePort=" + n));
      }
    }
    return set;
  }

  /**
   * kubectl apply of the layer's manifests, after making sure the namespace exists (a dry-run
   * create piped to apply is the idempotent form).
   */
  private static String manifestCommand(String namespace, String dir) {
    List<String> kubectl = List.of("kubectl", "--kubeconfig", ADMIN_CONF);
    List<String> create = new ArrayList<>(kubectl);
    create.addAll(
        List.of("create", "namespace", namespace, "--dry-run=client", "--output", "yaml"));
    List<String> ensure = new ArrayList<>(kubectl);
    ensure.addAll(List.of("apply", "--filename", "-"));
    List<String> apply = new ArrayList<>(kubectl);
    apply.addAll(
        List.of(
            "apply",
            "--namespace",
            namespace,
            "--recursive",
            "--filename",
            dir + "/manifests",
            "--wait"));
    return Shell.join(create) + " | " + Shell.join(ensure) + " && " + Shell.join(apply);
  }

  private static String namespace(RenderLayer layer, ObjectNode values) {
    String namespace = values.path("pack").path("namespace").asString("").strip();
    if (namespace.isEmpty()) {
      namespace = layer.parameters().getOrDefault("namespace", layer.name());
    }
    if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "layer " + layer.name() + ": namespace '" + namespace + "' is not a DNS label");
    }
    return namespace;
  }

  private static int number(String text, int min, int max, String what) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new IllegalArgumentException(
        what + " must be a whole number from " + min + " to " + max + ", not '" + text + "'");
  }

  private static void requireArgument(String value, Pattern form, String what) {
    if (!form.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not valid");
    }
  }

  /** A value for Helm's {@code --set}, where a comma separates settings and a backslash escapes. */
  private static String helmValue(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,");
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
