package dev.easel.compliance.domain.feature;

import dev.easel.contracts.nodes.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The plan that installs a feature's tool on a cluster, built from its pack's values: the part of
 * {@code features.<key>} for the feature says whether the pack enables it, which images its tools
 * run from, and which chart (if any) it installs. The plan writes the values on the init node,
 * pulls the images into the node's container runtime (so that a scan never waits for a registry,
 * and an air-gapped cluster gets them from its mirror), and installs the chart with Helm in the
 * feature's namespace with the chart's part of the values ({@code charts.<name>}).
 */
public final class FeatureInstall {

  /** The kubeconfig kubeadm writes on a control-plane node. */
  public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";

  /** Where each feature's files go on the node. */
  public static final String DIR = "/var/lib/easel/compliance";

  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  // What may reach a shell unquoted: image references, chart names, versions, URLs, namespaces.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:+@-]*");

  private FeatureInstall() {}

  /**
   * The steps.
   *
   * @throws IllegalArgumentException when the values are not YAML, the pack disables the feature,
   *     or an image or chart does not look like one
   */
  public static List<PlanStep> steps(Feature feature, String pack, String version, String values) {
    JsonNode root;
    try {
      root = values == null || values.isBlank() ? null : YAML.readTree(values);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("its values are not YAML: " + e.getMessage(), e);
    }
    JsonNode f = root == null ? null : root.path("features").path(feature.packKey());
    if (f == null || f.isMissingNode()) {
      throw new IllegalArgumentException(
          pack + " " + version + " has no features." + feature.packKey() + " in its values");
    }
    if (!f.path("enabled").asBoolean(true)) {
      throw new IllegalArgumentException(
          pack + " " + version + " disables " + feature.packKey() + " (enabled: false)");
    }
    String dir = DIR + "/" + feature.wireName();
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            "values",
            "write the values of " + pack + " " + version,
            null,
            "write-file",
            Map.of("path", dir + "/values.yaml", "content", values, "mode", "0600"),
            60,
            1,
            Map.of()));
    List<String> images = new ArrayList<>();
    for (JsonNode image : f.path("images")) {
      images.add(safe(image.asString(""), "image"));
    }
    if (!images.isEmpty()) {
      StringBuilder pull = new StringBuilder();
      for (String image : images) {
        pull.append(pull.length() == 0 ? "" : " && ").append("crictl pull ").append(image);
      }
      steps.add(
          new PlanStep(
              "pull-images",
              "pull the images of " + feature.tool(),
              pull.toString(),
              null,
              null,
              1800,
              2,
              Map.of()));
    }
    JsonNode chart = f.path("chart");
    if (chart.isObject()) {
      String repo = safe(chart.path("repo").asString(""), "chart repository");
      String name = safe(chart.path("name").asString(""), "chart name");
      String chartVersion = safe(chart.path("version").asString(""), "chart version");
      String namespace =
          safe(
              f.path("settings")
                  .path("namespace")
                  .asString(root.path("pack").path("namespace").asString("easel-compliance")),
              "namespace");
      JsonNode chartValues = root.path("charts").path(name);
      String valuesFile = dir + "/" + name + ".values.yaml";
      String command =
          "mkdir -p "
              + dir
              + " && cat > "
              + valuesFile
              + " <<'EASEL_VALUES'\n"
              + (chartValues.isMissingNode() ? "{}\n" : YAML.writeValueAsString(chartValues))
              + "EASEL_VALUES\n"
              + "helm upgrade --install "
              + name
              + " "
              + (repo.startsWith("oci://") ? repo + "/" + name : name + " --repo " + repo)
              + " --version "
              + chartVersion
              + " --namespace "
              + namespace
              + " --create-namespace --wait --timeout 10m --kubeconfig "
              + ADMIN_CONF
              + " -f "
              + valuesFile;
      steps.add(
          new PlanStep(
              "chart-" + name,
              "install " + name + " " + chartVersion,
              command,
              null,
              null,
              900,
              2,
              Map.of()));
    }
    return steps;
  }

  private static String safe(String value, String what) {
    if (!SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException("a " + what + " does not look like one: '" + value + "'");
    }
    return value;
  }
}
