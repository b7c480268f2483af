package dev.easel.compliance.domain.scan;

import dev.easel.contracts.nodes.PlanStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plans a scan runs on its cluster's nodes: what each tool is run with, which files it leaves
 * for compliance to read, and how each file is read. The tools write to files, never to a scraped
 * stdout; the agent uploads the files a step declares once it succeeds.
 */
public final class ScanPlans {

  /** The kubeconfig kubeadm writes on a control-plane node. */
  public static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";

  /** Where a scan's files go on a node, one directory per scan. */
  public static final String WORK = "/var/lib/easel/scans";

  /** kube-bench's targets on a control-plane node. */
  public static final String CONTROL_PLANE_TARGETS = "master,controlplane,etcd,policies";

  /** How one uploaded file is read. */
  public enum Reader {
    KUBE_BENCH,
    KUBE_HUNTER,
    SBOM_TAR,
    GRYPE_TAR,
    SONOBUOY_RESULTS
  }

  /**
   * A file a plan leaves.
   *
   * @param scope what the file's findings are grouped under (a kube-hunter mode), or null
   */
  public record Artifact(String stepId, String name, Reader reader, String scope) {}

  /** One node's plan of a scan. */
  public record Part(
      ScanTarget.Node node, String planId, List<PlanStep> steps, List<Artifact> artifacts) {}

  private ScanPlans() {}

  /**
   * The plans that start a scan. A conformance scan starts with Sonobuoy's run alone; its status
   * and results plans follow ({@link #conformanceStatus}, {@link #conformanceResults}).
   */
  public static List<Part> start(
      UUID scanId, ScanKind kind, Map<String, String> options, ScanTarget target) {
    String dir = WORK + "/" + scanId;
    List<Part> parts = new ArrayList<>();
    switch (kind) {
      case CONFIGURATION -> {
        String benchmark =
            CisBenchmarks.forKubernetes(target.kubernetesVersion())
                .map(b -> " --benchmark " + b)
                .orElse("");
        for (ScanTarget.Node n : target.nodes()) {
          String targets = n.controlPlane() ? CONTROL_PLANE_TARGETS : "node";
          String file = dir + "/kube-bench.json";
          parts.add(
              new Part(
                  n,
                  planId(scanId, n),
                  List.of(
                      step(
                          "kube-bench",
                          "kube-bench, targets " + targets,
                          "mkdir -p "
                              + dir
                              + " && kube-bench run --targets "
                              + targets
                              + benchmark
                              + " --json --outputfile "
                              + file,
                          1800,
                          List.of(file)),
                      cleanup(dir)),
                  List.of(new Artifact("kube-bench", "kube-bench.json", Reader.KUBE_BENCH, null))));
        }
      }
      case PENETRATION -> {
        ScanTarget.Node n = target.init();
        String internal = dir + "/kube-hunter-internal.json";
        String external = dir + "/kube-hunter-external.json";
        parts.add(
            new Part(
                n,
                planId(scanId, n),
                List.of(
                    step(
                        "kube-hunter-internal",
                        "kube-hunter from inside the cluster's network",
                        "mkdir -p "
                            + dir
                            + " && kube-hunter --interface --report json --log none > "
                            + internal,
                        1800,
                        List.of(internal)),
                    step(
                        "kube-hunter-external",
                        "kube-hunter against the API server's address",
                        "kube-hunter --remote "
                            + n.hostname()
                            + " --report json --log none > "
                            + external,
                        1800,
                        List.of(external)),
                    cleanup(dir)),
                List.of(
                    new Artifact(
                        "kube-hunter-internal",
                        "kube-hunter-internal.json",
                        Reader.KUBE_HUNTER,
                        "internal"),
                    new Artifact(
                        "kube-hunter-external",
                        "kube-hunter-external.json",
                        Reader.KUBE_HUNTER,
                        "external"))));
      }
      case SBOM -> {
        ScanTarget.Node n = target.init();
        parts.add(
            new Part(
                n,
                planId(scanId, n),
                List.of(
                    step(
                        "sbom",
                        "syft and grype over " + describeScope(options),
                        sbomScript(dir, options),
                        7200,
                        List.of(dir + "/sbom.tar", dir + "/grype.tar")),
                    cleanup(dir)),
                List.of(
                    new Artifact("sbom", "sbom.tar", Reader.SBOM_TAR, null),
                    new Artifact("sbom", "grype.tar", Reader.GRYPE_TAR, null))));
      }
      case CONFORMANCE -> {
        ScanTarget.Node n = target.init();
        parts.add(
            new Part(
                n,
                planId(scanId, n) + "-run",
                List.of(
                    step(
                        "sonobuoy-run",
                        "start Sonobuoy, mode " + options.getOrDefault("mode", "quick"),
                        // A run left by an earlier scan would make this one refuse to start.
                        "sonobuoy delete --wait --kubeconfig "
                            + ADMIN_CONF
                            + " >/dev/null 2>&1; sonobuoy run --mode "
                            + options.getOrDefault("mode", "quick")
                            + " --kubeconfig "
                            + ADMIN_CONF,
                        600,
                        List.of())),
                List.of()));
      }
    }
    return parts;
  }

  /** A plan that reads Sonobuoy's status once; its output is {@code sonobuoy status --json}. */
  public static Part conformanceStatus(UUID scanId, ScanTarget.Node init, int poll) {
    return new Part(
        init,
        planId(scanId, init) + "-status-" + poll,
        List.of(
            step(
                "sonobuoy-status",
                "read Sonobuoy's status",
                "sonobuoy status --json --kubeconfig " + ADMIN_CONF,
                120,
                List.of())),
        List.of());
  }

  /** A plan that fetches Sonobuoy's results tarball and removes Sonobuoy from the cluster. */
  public static Part conformanceResults(UUID scanId, ScanTarget.Node init) {
    String dir = WORK + "/" + scanId;
    String file = dir + "/results.tar.gz";
    return new Part(
        init,
        planId(scanId, init) + "-results",
        List.of(
            step(
                "sonobuoy-retrieve",
                "fetch Sonobuoy's results",
                "mkdir -p "
                    + dir
                    + " && sonobuoy retrieve "
                    + dir
                    + " -f results.tar.gz --kubeconfig "
                    + ADMIN_CONF,
                900,
                List.of(file)),
            step(
                "sonobuoy-delete",
                "remove Sonobuoy",
                "sonobuoy delete --wait --kubeconfig " + ADMIN_CONF,
                900,
                List.of()),
            cleanup(dir)),
        List.of(
            new Artifact("sonobuoy-retrieve", "results.tar.gz", Reader.SONOBUOY_RESULTS, null)));
  }

  /** A plan that removes Sonobuoy after a cancelled run. */
  public static Part conformanceAbort(UUID scanId, ScanTarget.Node init) {
    return new Part(
        init,
        planId(scanId, init) + "-abort",
        List.of(
            step(
                "sonobuoy-delete",
                "remove Sonobuoy",
                "sonobuoy delete --wait --kubeconfig " + ADMIN_CONF,
                900,
                List.of()),
            cleanup(WORK + "/" + scanId)),
        List.of());
  }

  private static String planId(UUID scanId, ScanTarget.Node n) {
    return "scan-" + scanId + "-" + n.nodeId();
  }

  private static String describeScope(Map<String, String> o) {
    return switch (o.getOrDefault("scope", "cluster")) {
      case "namespace" -> "the images of namespace " + o.get("namespace");
      case "label-selector" -> "the images of pods matching " + o.get("labelSelector");
      case "pod" -> "the images of pod " + o.get("namespace") + "/" + o.get("podName");
      default -> "every image in the cluster";
    };
  }

  /**
   * Lists the images in scope with kubectl, makes each one's SBOM with Syft (in the format asked
   * for, and in Syft's own JSON for Grype), runs Grype on it, and packs both sets with an index of
   * which file is which image. Options were checked by {@link ScanOptions}; they are quoted anyway.
   */
  static String sbomScript(String dir, Map<String, String> o) {
    String k = "kubectl --kubeconfig " + ADMIN_CONF;
    String pods =
        switch (o.getOrDefault("scope", "cluster")) {
          case "namespace" -> k + " get pods -n " + quote(o.get("namespace")) + " -o json";
          case "label-selector" ->
              k + " get pods -A -l " + quote(o.get("labelSelector")) + " -o json";
          case "pod" ->
              k
                  + " get pod "
                  + quote(o.get("podName"))
                  + " -n "
                  + quote(o.get("namespace"))
                  + " -o json";
          default -> k + " get pods -A -o json";
        };
    String format = o.getOrDefault("format", "spdx-json");
    return String.join(
        "\n",
        "set -eu",
        "d=" + dir,
        "rm -rf \"$d\" && mkdir -p \"$d/sbom\" \"$d/grype\"",
        pods
            + " | grep -o '\"image\": *\"[^\"]*\"' | sed 's/.*\"\\([^\"]*\\)\"$/\\1/' | sort -u"
            + " > \"$d/images\"",
        "i=0",
        ": > \"$d/index.tsv\"",
        "while read -r image; do",
        "  i=$((i+1))",
        "  printf '%s\\t%s\\n' \"$i.json\" \"$image\" >> \"$d/index.tsv\"",
        "  syft \"$image\" -q -o "
            + format
            + "=\"$d/sbom/$i.json\" -o syft-json=\"$d/$i.syft.json\"",
        "  grype \"sbom:$d/$i.syft.json\" -q -o json > \"$d/grype/$i.json\"",
        "done < \"$d/images\"",
        "cp \"$d/index.tsv\" \"$d/sbom/\" && cp \"$d/index.tsv\" \"$d/grype/\"",
        // The index first: compliance reads each file knowing its image.
        "tar -C \"$d/sbom\" -cf \"$d/sbom.tar\" index.tsv $(cut -f1 \"$d/index.tsv\")",
        "tar -C \"$d/grype\" -cf \"$d/grype.tar\" index.tsv $(cut -f1 \"$d/index.tsv\")");
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static PlanStep step(
      String id, String name, String command, int timeoutSeconds, List<String> artifacts) {
    return new PlanStep(id, name, command, null, null, timeoutSeconds, 0, Map.of(), artifacts);
  }

  private static PlanStep cleanup(String dir) {
    return new PlanStep(
        "cleanup",
        "remove the scan's files",
        "rm -rf " + dir,
        null,
        null,
        60,
        1,
        Map.of(),
        List.of());
  }
}
