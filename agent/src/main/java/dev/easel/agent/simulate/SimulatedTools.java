package dev.easel.agent.simulate;

import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * What the compliance tools leave on a simulated node, in their real formats: kube-bench's {@code
 * --json} (controls by target, with totals), kube-hunter's {@code --report json}, Syft's SBOMs
 * (SPDX 2.3, CycloneDX 1.6 or Syft JSON) and Grype's {@code -o json} packed per image with an index
 * as the SBOM step packs them, Sonobuoy's results tarball ({@code
 * plugins/e2e/sonobuoy_results.yaml} and the JUnit XML), and {@code sonobuoy status --json} as a
 * run advances. Every other artifact gets {@link SimulatedOutputs#PLACEHOLDER}. Velero's commands
 * back up and restore the simulated clusters, into their locations' buckets ({@link
 * SimulatedVelero}).
 *
 * <p>The content is fixed per node, so that two scans of one node find the same things; a {@link
 * #worse} copy finds one more of each, for comparing scans.
 */
public final class SimulatedTools implements SimulatedOutputs {

  /** The images a simulated cluster runs. */
  static final List<String> IMAGES =
      List.of(
          "registry.k8s.io/kube-apiserver:v1.32.3",
          "docker.io/calico/node:v3.29.2",
          "docker.io/aquasec/kube-bench:v0.10.4");

  /** How many status reads a simulated conformance run takes to complete. */
  static final int CONFORMANCE_READS = 3;

  /** Tests in the simulated conformance run. */
  static final int CONFORMANCE_TESTS = 12;

  private static final Pattern TARGETS = Pattern.compile("--targets ([a-z,]+)");
  private static final Pattern BENCHMARK = Pattern.compile("--benchmark (cis-[0-9.]+)");
  private static final Pattern SBOM_FORMAT = Pattern.compile(" -o ([a-z-]+)=");

  /** How long a simulated Velero backup or restore takes, unless told otherwise. */
  public static final Duration VELERO_DURATION = Duration.ofSeconds(4);

  private final boolean worse;
  private final int reads;
  private final SimulatedVelero velero;
  private final Map<String, Integer> statusReads = new ConcurrentHashMap<>();

  public SimulatedTools() {
    this(false, CONFORMANCE_READS, new SimulatedVelero(VELERO_DURATION));
  }

  private SimulatedTools(boolean worse, int reads, SimulatedVelero velero) {
    this.worse = worse;
    this.reads = reads;
    this.velero = velero;
  }

  /** The same tools finding one more failure of each kind, with the same Velero. */
  public SimulatedTools worse() {
    return new SimulatedTools(true, reads, velero);
  }

  /** The same tools, with a conformance run that completes only after {@code n} status reads. */
  public SimulatedTools conformanceReads(int n) {
    return new SimulatedTools(worse, n, velero);
  }

  /**
   * The same tools with a Velero of their own, whose backups and restores take {@code duration}
   * from their request to their end; zero ends them before the request returns.
   */
  public SimulatedTools veleroDuration(Duration duration) {
    return new SimulatedTools(worse, reads, new SimulatedVelero(duration));
  }

  /** Velero's commands as {@link SimulatedVelero} runs them; every other as {@link #output}. */
  @Override
  public Exit ran(ServerApi.Step step, SimulatedNode node) {
    Exit exit = velero.run(step, node);
    return exit != null ? exit : SimulatedOutputs.super.ran(step, node);
  }

  @Override
  public void write(Path file, ServerApi.Step step, SimulatedNode node) throws IOException {
    String name = file.getFileName().toString();
    String command = step.command() == null ? "" : step.command();
    byte[] content;
    if (name.equals("kube-bench.json")) {
      content = Json.MAPPER.writeValueAsBytes(kubeBench(command));
    } else if (name.startsWith("kube-hunter-")) {
      content = Json.MAPPER.writeValueAsBytes(kubeHunter(node, name.contains("external")));
    } else if (name.equals("sbom.tar")) {
      content = tar(sboms(format(command)), false);
    } else if (name.equals("grype.tar")) {
      content = tar(grypes(), false);
    } else if (name.equals("results.tar.gz")) {
      content = tar(sonobuoyResults(), true);
    } else {
      SimulatedOutputs.PLACEHOLDER.write(file, step, node);
      return;
    }
    Files.write(file, content);
  }

  /**
   * What a step prints, for the steps whose output is read: {@code sonobuoy status --json}, which
   * advances with each read of the same run on the same node, and completes after {@value
   * #CONFORMANCE_READS} (or as {@link #conformanceReads} says). Null for every other step.
   */
  public String output(ServerApi.Step step, SimulatedNode node) {
    String command = step.command() == null ? "" : step.command();
    if (command.startsWith("sonobuoy delete") || command.contains("sonobuoy run")) {
      statusReads.remove(String.valueOf(node.nodeId()));
      return null;
    }
    if (!command.startsWith("sonobuoy status --json")) {
      return null;
    }
    int read = statusReads.merge(String.valueOf(node.nodeId()), 1, Integer::sum);
    return Json.MAPPER.writeValueAsString(sonobuoyStatus(Math.min(read, reads)));
  }

  private Map<String, Object> kubeBench(String command) {
    Matcher t = TARGETS.matcher(command);
    List<String> targets = t.find() ? List.of(t.group(1).split(",")) : List.of("node");
    Matcher b = BENCHMARK.matcher(command);
    String version = b.find() ? b.group(1) : "cis-1.10";
    List<Object> controls = new ArrayList<>();
    long[] totals = new long[4];
    for (String target : targets) {
      Map<String, Object> c = control(target, version, totals);
      if (c != null) {
        controls.add(c);
      }
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("Controls", controls);
    doc.put("Totals", totals(totals));
    return doc;
  }

  private Map<String, Object> control(String target, String version, long[] totals) {
    String id;
    String text;
    List<String[]> checks = new ArrayList<>();
    switch (target) {
      case "master" -> {
        id = "1";
        text = "Control Plane Security Configuration";
        checks.add(
            check(
                "1.1.1",
                "Ensure that the API server pod specification file permissions are set to 600 or"
                    + " more restrictive (Automated)",
                "PASS",
                "permissions=600"));
        checks.add(
            check(
                "1.2.1",
                "Ensure that the --anonymous-auth argument is set to false (Manual)",
                "WARN",
                ""));
        checks.add(
            check(
                "1.2.16",
                "Ensure that the --profiling argument is set to false (Automated)",
                "FAIL",
                "--profiling=true"));
        if (worse) {
          checks.add(
              check(
                  "1.2.17",
                  "Ensure that the --audit-log-path argument is set (Automated)",
                  "FAIL",
                  ""));
        }
      }
      case "etcd" -> {
        id = "2";
        text = "Etcd Node Configuration";
        checks.add(
            check(
                "2.1",
                "Ensure that the --cert-file and --key-file arguments are set as appropriate"
                    + " (Automated)",
                "PASS",
                "--cert-file=/etc/kubernetes/pki/etcd/server.crt"));
      }
      case "controlplane" -> {
        id = "3";
        text = "Control Plane Configuration";
        checks.add(
            check("3.2.1", "Ensure that a minimal audit policy is created (Manual)", "WARN", ""));
      }
      case "policies" -> {
        id = "5";
        text = "Kubernetes Policies";
        checks.add(
            check(
                "5.1.1",
                "Ensure that the cluster-admin role is only used where required (Manual)",
                "WARN",
                ""));
      }
      case "node" -> {
        id = "4";
        text = "Worker Node Security Configuration";
        checks.add(
            check(
                "4.1.1",
                "Ensure that the kubelet service file permissions are set to 600 or more"
                    + " restrictive (Automated)",
                "PASS",
                "permissions=600"));
        checks.add(
            check(
                "4.2.1",
                "Ensure that the --anonymous-auth argument is set to false (Automated)",
                "PASS",
                "false"));
        checks.add(
            check(
                "4.2.6",
                "Ensure that the --make-iptables-util-chains argument is set to true (Automated)",
                worse ? "FAIL" : "PASS",
                "true"));
      }
      default -> {
        return null;
      }
    }
    long[] counts = new long[4];
    List<Object> results = new ArrayList<>();
    for (String[] c : checks) {
      int i = index(c[2]);
      counts[i]++;
      totals[i]++;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("test_number", c[0]);
      r.put("test_desc", c[1]);
      r.put("audit", "/bin/ps -ef | grep kube-apiserver | grep -v grep");
      r.put("AuditEnv", "");
      r.put("AuditConfig", "");
      r.put("type", c[1].endsWith("(Manual)") ? "manual" : "");
      r.put("remediation", "Edit the configuration and set " + c[0] + " as the benchmark says.");
      r.put("test_info", List.of("Edit the configuration and set " + c[0] + "."));
      r.put("status", c[2]);
      r.put("actual_value", c[3]);
      r.put("scored", !c[1].endsWith("(Manual)"));
      r.put("IsMultiple", false);
      r.put("expected_result", "'" + c[0] + "' is compliant");
      if (c[1].endsWith("(Manual)")) {
        r.put("reason", "Test marked as a manual test");
      }
      results.add(r);
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("section", id + ".1");
    group.put("type", "");
    group.put("pass", counts[0]);
    group.put("fail", counts[1]);
    group.put("warn", counts[2]);
    group.put("info", counts[3]);
    group.put("desc", text);
    group.put("results", results);
    Map<String, Object> control = new LinkedHashMap<>();
    control.put("id", id);
    control.put("version", version);
    control.put("detected_version", "1.32");
    control.put("text", text);
    control.put("node_type", target);
    control.put("tests", List.of(group));
    control.putAll(totals(counts));
    return control;
  }

  private static String[] check(String id, String text, String status, String actual) {
    return new String[] {id, text, status, actual};
  }

  private static int index(String status) {
    return switch (status) {
      case "PASS" -> 0;
      case "FAIL" -> 1;
      case "WARN" -> 2;
      default -> 3;
    };
  }

  private static Map<String, Object> totals(long[] t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total_pass", t[0]);
    m.put("total_fail", t[1]);
    m.put("total_warn", t[2]);
    m.put("total_info", t[3]);
    return m;
  }

  private Map<String, Object> kubeHunter(SimulatedNode node, boolean external) {
    String host = node.hostname();
    List<Object> vulns = new ArrayList<>();
    vulns.add(
        vuln(
            host + ":6443",
            "KHV002",
            "Initial Access // Exposed sensitive interfaces",
            "high",
            "K8s Version Disclosure",
            "The kubernetes version could be obtained from the /version endpoint",
            "v1.32.3",
            "Api Version Hunter"));
    if (!external || worse) {
      vulns.add(
          vuln(
              host + ":10255",
              "KHV052",
              "Discovery // Access Kubelet API",
              "medium",
              "Exposed Pods",
              "An attacker could view sensitive information about pods that are\n"
                  + "    bound to a Node using the /pods endpoint",
              "count: 9",
              "Kubelet Readonly Ports Hunter"));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("nodes", List.of(Map.of("type", "Node/Master", "location", host)));
    doc.put(
        "services",
        List.of(
            Map.of("service", "API Server", "location", host + ":6443"),
            Map.of("service", "Kubelet API (readonly)", "location", host + ":10255")));
    doc.put("vulnerabilities", vulns);
    return doc;
  }

  private static Map<String, Object> vuln(
      String location,
      String vid,
      String category,
      String severity,
      String name,
      String description,
      String evidence,
      String hunter) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("location", location);
    v.put("vid", vid);
    v.put("category", category);
    v.put("severity", severity);
    v.put("vulnerability", name);
    v.put("description", description);
    v.put("evidence", evidence);
    v.put("avd_reference", "https://avd.aquasec.com/kube-hunter/" + vid.toLowerCase() + "/");
    v.put("hunter", hunter);
    return v;
  }

  private static String format(String command) {
    Matcher m = SBOM_FORMAT.matcher(command);
    return m.find() ? m.group(1) : "spdx-json";
  }

  /** A package each image holds: name, version, type, purl. */
  private static List<String[]> packages(String image) {
    List<String[]> p = new ArrayList<>();
    p.add(
        new String[] {
          "libssl3", "3.0.2-0ubuntu1.10", "deb", "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.10"
        });
    p.add(
        new String[] {
          "golang.org/x/net", "v0.23.0", "go-module", "pkg:golang/golang.org/x/net@v0.23.0"
        });
    if (image.contains("calico")) {
      p.add(new String[] {"busybox", "1.36.1-r2", "apk", "pkg:apk/alpine/busybox@1.36.1-r2"});
    }
    return p;
  }

  private Map<String, byte[]> sboms(String format) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("index.tsv", index());
    for (int i = 0; i < IMAGES.size(); i++) {
      String image = IMAGES.get(i);
      Object doc =
          switch (format) {
            case "cyclonedx-json" -> cycloneDx(image);
            case "syft-json" -> syftJson(image);
            default -> spdx(image);
          };
      files.put((i + 1) + ".json", Json.MAPPER.writeValueAsBytes(doc));
    }
    return files;
  }

  private static byte[] index() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < IMAGES.size(); i++) {
      s.append(i + 1).append(".json\t").append(IMAGES.get(i)).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, Object> spdx(String image) {
    List<Object> packages = new ArrayList<>();
    int n = 0;
    for (String[] p : packages(image)) {
      Map<String, Object> pkg = new LinkedHashMap<>();
      pkg.put("name", p[0]);
      pkg.put("SPDXID", "SPDXRef-Package-" + p[2] + "-" + (++n));
      pkg.put("versionInfo", p[1]);
      pkg.put("supplier", "NOASSERTION");
      pkg.put("downloadLocation", "NOASSERTION");
      pkg.put("filesAnalyzed", false);
      pkg.put("licenseConcluded", "NOASSERTION");
      pkg.put("licenseDeclared", "NOASSERTION");
      pkg.put("copyrightText", "NOASSERTION");
      pkg.put(
          "externalRefs",
          List.of(
              Map.of(
                  "referenceCategory", "PACKAGE-MANAGER",
                  "referenceType", "purl",
                  "referenceLocator", p[3])));
      packages.add(pkg);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", image);
    doc.put("documentNamespace", "https://anchore.com/syft/image/" + image.replace(':', '-'));
    doc.put(
        "creationInfo",
        Map.of(
            "licenseListVersion", "3.25",
            "creators", List.of("Organization: Anchore, Inc", "Tool: syft-1.20.0"),
            "created", "2026-01-01T00:00:00Z"));
    doc.put("packages", packages);
    doc.put("relationships", List.of());
    return doc;
  }

  private static Map<String, Object> cycloneDx(String image) {
    List<Object> components = new ArrayList<>();
    for (String[] p : packages(image)) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("bom-ref", p[3]);
      c.put("type", "library");
      c.put("name", p[0]);
      c.put("version", p[1]);
      c.put("purl", p[3]);
      c.put("properties", List.of(Map.of("name", "syft:package:type", "value", p[2])));
      components.add(c);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
    doc.put("bomFormat", "CycloneDX");
    doc.put("specVersion", "1.6");
    doc.put("serialNumber", "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(image.getBytes()));
    doc.put("version", 1);
    doc.put(
        "metadata",
        Map.of(
            "timestamp",
            "2026-01-01T00:00:00Z",
            "tools",
            Map.of(
                "components",
                List.of(
                    Map.of(
                        "type", "application",
                        "author", "anchore",
                        "name", "syft",
                        "version", "1.20.0"))),
            "component",
            Map.of("bom-ref", image, "type", "container", "name", image)));
    doc.put("components", components);
    return doc;
  }

  private static Map<String, Object> syftJson(String image) {
    List<Object> artifacts = new ArrayList<>();
    int n = 0;
    for (String[] p : packages(image)) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("id", "a" + (++n));
      a.put("name", p[0]);
      a.put("version", p[1]);
      a.put("type", p[2]);
      a.put("foundBy", "simulated-cataloger");
      a.put("locations", List.of(Map.of("path", "/usr/lib/" + p[0])));
      a.put("licenses", List.of());
      a.put("language", p[2].equals("go-module") ? "go" : "");
      a.put("cpes", List.of());
      a.put("purl", p[3]);
      artifacts.add(a);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("artifacts", artifacts);
    doc.put("artifactRelationships", List.of());
    doc.put(
        "source",
        Map.of("id", "s1", "name", image, "version", "", "type", "image", "metadata", Map.of()));
    doc.put("distro", Map.of("name", "ubuntu", "version", "22.04"));
    doc.put("descriptor", Map.of("name", "syft", "version", "1.20.0"));
    doc.put("schema", Map.of("version", "16.0.24", "url", "https://example.invalid"));
    return doc;
  }

  private Map<String, byte[]> grypes() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("index.tsv", index());
    for (int i = 0; i < IMAGES.size(); i++) {
      String image = IMAGES.get(i);
      List<Object> matches = new ArrayList<>();
      matches.add(
          match(
              "CVE-2024-5535",
              "Medium",
              "fixed",
              List.of("3.0.2-0ubuntu1.17"),
              packages(image).get(0)));
      matches.add(
          match("CVE-2024-45338", "High", "fixed", List.of("0.33.0"), packages(image).get(1)));
      if (worse) {
        matches.add(
            match("CVE-2025-0001", "Critical", "not-fixed", List.of(), packages(image).get(0)));
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("matches", matches);
      doc.put("source", Map.of("type", "image", "target", Map.of("userInput", image)));
      doc.put("distro", Map.of("name", "ubuntu", "version", "22.04", "idLike", List.of("debian")));
      doc.put("descriptor", Map.of("name", "grype", "version", "0.87.0"));
      files.put((i + 1) + ".json", Json.MAPPER.writeValueAsBytes(doc));
    }
    return files;
  }

  private static Map<String, Object> match(
      String id, String severity, String state, List<String> fixed, String[] pkg) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("dataSource", "https://nvd.nist.gov/vuln/detail/" + id);
    v.put("namespace", "nvd:cpe");
    v.put("severity", severity);
    v.put("urls", List.of("https://nvd.nist.gov/vuln/detail/" + id));
    v.put("description", "A flaw in " + pkg[0] + ".");
    v.put("cvss", List.of());
    v.put("fix", Map.of("versions", fixed, "state", state));
    v.put("advisories", List.of());
    Map<String, Object> artifact = new LinkedHashMap<>();
    artifact.put("id", pkg[3]);
    artifact.put("name", pkg[0]);
    artifact.put("version", pkg[1]);
    artifact.put("type", pkg[2]);
    artifact.put("locations", List.of(Map.of("path", "/usr/lib/" + pkg[0])));
    artifact.put("language", "");
    artifact.put("licenses", List.of());
    artifact.put("cpes", List.of());
    artifact.put("purl", pkg[3]);
    artifact.put("upstreams", List.of());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("vulnerability", v);
    m.put("relatedVulnerabilities", List.of());
    m.put(
        "matchDetails",
        List.of(
            Map.of(
                "type",
                "exact-direct-match",
                "matcher",
                pkg[2] + "-matcher",
                "searchedBy",
                Map.of("package", Map.of("name", pkg[0])),
                "found",
                Map.of("vulnerabilityID", id))));
    m.put("artifact", artifact);
    return m;
  }

  private Map<String, Object> sonobuoyStatus(int read) {
    boolean complete = read >= reads;
    long completed = complete ? CONFORMANCE_TESTS : (long) CONFORMANCE_TESTS * read / reads;
    List<String> failures = new ArrayList<>();
    if (worse && completed > 0) {
      failures.add("[sig-network] DNS should provide DNS for services [Conformance]");
    }
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("name", "e2e");
    progress.put("node", "global");
    progress.put("timestamp", Instant.now().toString());
    progress.put("msg", complete ? "Test Suite completed" : "Test Suite running");
    progress.put("total", CONFORMANCE_TESTS);
    progress.put("completed", completed);
    if (!failures.isEmpty()) {
      progress.put("failures", failures);
    }
    Map<String, Object> e2e = new LinkedHashMap<>();
    e2e.put("plugin", "e2e");
    e2e.put("node", "global");
    e2e.put("status", complete ? "complete" : "running");
    e2e.put("result-status", complete ? (failures.isEmpty() ? "passed" : "failed") : "");
    e2e.put(
        "result-counts",
        Map.of("passed", completed - failures.size(), "failed", (long) failures.size()));
    e2e.put("progress", progress);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("plugins", List.of(e2e));
    doc.put("status", complete ? "complete" : "running");
    doc.put(
        "tar-info",
        Map.of(
            "name",
            "202601010000_sonobuoy_simulated.tar.gz",
            "created",
            "2026-01-01T00:00:00Z",
            "sha256",
            "0".repeat(64),
            "size",
            0));
    return doc;
  }

  private Map<String, byte[]> sonobuoyResults() {
    StringBuilder yaml = new StringBuilder();
    StringBuilder junit = new StringBuilder();
    yaml.append("name: e2e\nstatus: ").append(worse ? "failed" : "passed").append('\n');
    yaml.append("meta:\n  type: summary\nitems:\n");
    yaml.append("- name: junit_01.xml\n  status: ").append(worse ? "failed" : "passed");
    yaml.append("\n  meta:\n    file: results/global/junit_01.xml\n    type: file\n  items:\n");
    junit.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
    junit
        .append("  <testsuite name=\"Kubernetes e2e suite\" tests=\"")
        .append(CONFORMANCE_TESTS)
        .append("\">\n");
    for (int i = 1; i <= CONFORMANCE_TESTS; i++) {
      String name = "[sig-simulated] conformance test " + i + " [Conformance]";
      boolean failed = worse && i == 1;
      boolean skipped = i == CONFORMANCE_TESTS;
      String status = failed ? "failed" : skipped ? "skipped" : "passed";
      yaml.append("  - name: '").append(name).append("'\n    status: ").append(status).append('\n');
      if (failed) {
        yaml.append("    details:\n      failure: 'simulated failure: timed out waiting'\n");
      }
      junit.append("    <testcase name=\"").append(name).append("\" classname=\"e2e\" time=\"1\">");
      if (failed) {
        junit.append("<failure message=\"simulated failure\">timed out waiting</failure>");
      } else if (skipped) {
        junit.append("<skipped/>");
      }
      junit.append("</testcase>\n");
    }
    junit.append("  </testsuite>\n</testsuites>\n");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("meta/config.json", "{\"UUID\":\"simulated\"}".getBytes(StandardCharsets.UTF_8));
    files.put(
        "plugins/e2e/sonobuoy_results.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8));
    files.put(
        "plugins/e2e/results/global/junit_01.xml",
        junit.toString().getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static byte[] tar(Map<String, byte[]> files, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : bytes;
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
