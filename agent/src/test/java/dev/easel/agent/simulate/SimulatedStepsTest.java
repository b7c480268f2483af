package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SimulatedStepsTest {

  private static final String VIP = "10.0.0.100";

  private final SimulatedCluster cluster = new SimulatedCluster();

  private SimulatedSteps steps(FailStep... failing) {
    return new SimulatedSteps(cluster, new FailureInjection(List.of(failing)), new Random(7));
  }

  @Test
  void checkNodesListsEveryMemberOfTheNodesClusterAsReady() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(1);
    SimulatedNode cp = node(2);
    SimulatedNode worker = node(3);
    SimulatedNode elsewhere = node(4);
    assertSucceeded(steps.run(init, install("Edge-1", VIP, "init"), false, 10));
    assertSucceeded(steps.run(cp, join("edge-2", VIP, "controlplane"), false, 10));
    assertSucceeded(steps.run(worker, join("edge-3", VIP, "worker"), false, 10));
    assertSucceeded(steps.run(elsewhere, install("other-1", "10.0.9.100", "init"), false, 10));

    ServerApi.StepResult listed =
        steps.run(worker, step("check-nodes", "kubectl get nodes"), false, 10);

    assertSucceeded(listed);
    JsonNode list = Json.MAPPER.readTree(listed.output());
    assertThat(list.get("kind").asString()).isEqualTo("List");
    assertThat(names(list)).containsExactly("edge-1", "edge-2", "edge-3");
    for (JsonNode item : list.get("items")) {
      JsonNode ready = item.get("status").get("conditions").get(0);
      assertThat(ready.get("type").asString()).isEqualTo("Ready");
      assertThat(ready.get("status").asString()).isEqualTo("True");
      assertThat(item.get("status").get("nodeInfo").get("kubeletVersion").asString())
          .isEqualTo("v1.32.3");
      assertThat(item.get("metadata").get("labels").get("kubernetes.io/hostname").asString())
          .isEqualTo(item.get("metadata").get("name").asString());
    }
    assertThat(controlPlane(list)).containsExactly(true, true, false);
  }

  @Test
  void aResetNodeLeavesItsCluster() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(1);
    SimulatedNode cp = node(2);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);
    steps.run(cp, join("edge-2", VIP, "controlplane"), false, 10);

    assertSucceeded(steps.run(cp, step("reset-kubeadm", "kubeadm reset -f"), false, 10));

    assertThat(names(checkNodes(steps, init))).containsExactly("edge-1");
    assertThat(cluster.membership(cp.identity.nodeId())).isEmpty();
  }

  @Test
  void aNodeResetByKairosNoLongerGoesByItsClusterHostName() {
    SimulatedSteps steps = steps(new FailStep("reset-kubeadm", "edge-1"));
    SimulatedNode node = node(1);
    steps.run(node, join("edge-1", VIP, "controlplane"), false, 10);
    assertThat(steps.run(node, step("reset-kubeadm", "kubeadm reset"), false, 1).outcome())
        .isEqualTo("FAILED");

    assertSucceeded(steps.run(node, step("reset-kairos", "kairos-agent reset"), false, 10));

    assertSucceeded(steps.run(node, step("reset-kubeadm", "kubeadm reset"), false, 1));
    assertThat(cluster.membership(node.identity.nodeId())).isEmpty();
  }

  @Test
  void aNodeThatJoinsAgainIsListedOnce() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(1);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);

    assertThat(names(checkNodes(steps, init))).containsExactly("edge-1");
  }

  @Test
  void aFailedInstallMakesNoMember() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(1);

    ServerApi.StepResult r = steps.run(init, install("edge-1", VIP, "init"), true, 10);

    assertThat(r.outcome()).isEqualTo("FAILED");
    assertThat(r.reason()).isEqualTo("simulated failure");
    assertThat(cluster.membership(init.identity.nodeId())).isEmpty();
  }

  @Test
  void kubectlAndTheKubeconfigAreMissingOnANodeOfNoCluster() {
    SimulatedSteps steps = steps();
    SimulatedNode loose = node(1);

    ServerApi.StepResult nodes =
        steps.run(loose, step("check-nodes", "kubectl get nodes"), false, 1);
    ServerApi.StepResult conf =
        steps.run(loose, step("fetch-kubeconfig", "cat /etc/kubernetes/admin.conf"), false, 1);

    assertThat(nodes.outcome()).isEqualTo("FAILED");
    assertThat(nodes.exitCode()).isEqualTo(1);
    assertThat(nodes.output()).contains("/etc/kubernetes/admin.conf");
    assertThat(conf.outcome()).isEqualTo("FAILED");
    assertThat(conf.output()).contains("No such file or directory");
  }

  @Test
  void theNodeListOfTenNodesFitsTheServicesOutputLimit() {
    SimulatedSteps steps = steps();
    SimulatedNode first = node(0);
    steps.run(first, install("edge-cp-0", VIP, "init"), false, 1);
    for (int i = 1; i < 10; i++) {
      steps.run(
          node(i), join("edge-worker-" + i, VIP, i < 3 ? "controlplane" : "worker"), false, 1);
    }

    String json = steps.run(first, step("check-nodes", "kubectl"), false, 1).output();

    assertThat(names(Json.MAPPER.readTree(json))).hasSize(10);
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(8 * 1024);
  }

  @Test
  void fetchKubeconfigPrintsAnAdminConfOfTheNodesCluster() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(5);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);

    ServerApi.StepResult r =
        steps.run(init, step("fetch-kubeconfig", "cat /etc/kubernetes/admin.conf"), false, 10);

    assertSucceeded(r);
    String conf = r.output();
    assertThat(conf.length()).isLessThan(16 * 1024);
    assertThat(conf)
        .startsWith("apiVersion: v1\nclusters:\n- cluster:\n")
        .contains("\n    server: https://" + Profiles.address(5) + ":6443\n")
        .contains("\n  name: kubernetes\n")
        .contains("\ncurrent-context: kubernetes-admin@kubernetes\n")
        .contains("\nkind: Config\n")
        .contains("\nusers:\n- name: kubernetes-admin\n  user:\n");
    assertThat(pem(conf, "certificate-authority-data")).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(pem(conf, "client-certificate-data")).startsWith("-----BEGIN CERTIFICATE-----\n");
    assertThat(pem(conf, "client-key-data"))
        .startsWith("-----BEGIN RSA PRIVATE KEY-----\n")
        .endsWith("-----END RSA PRIVATE KEY-----\n");
  }

  @Test
  void everyMemberOfAClusterShowsTheSameCertificateAuthority() {
    SimulatedSteps steps = steps();
    SimulatedNode init = node(1);
    SimulatedNode cp = node(2);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);
    steps.run(cp, join("edge-2", VIP, "controlplane"), false, 10);

    String a = steps.run(init, step("fetch-kubeconfig", "cat"), false, 1).output();
    String b = steps.run(cp, step("fetch-kubeconfig", "cat"), false, 1).output();

    assertThat(pem(a, "certificate-authority-data"))
        .isEqualTo(pem(b, "certificate-authority-data"));
    assertThat(pem(a, "client-key-data")).isNotEqualTo(pem(b, "client-key-data"));
  }

  @Test
  void aStepToldToFailFailsWithAKubeadmLikeErrorAndJoinsNoCluster() {
    SimulatedSteps steps = steps(FailStep.everywhere("join"));
    SimulatedNode worker = node(2);

    ServerApi.StepResult r = steps.run(worker, join("edge-2", VIP, "worker"), false, 10);

    assertThat(r.outcome()).isEqualTo("FAILED");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.reason()).isEqualTo("simulated failure of step join");
    assertThat(r.output())
        .contains("error execution phase preflight")
        .contains("dial tcp " + VIP + ":6443");
    assertThat(r.output().lines()).hasSizeGreaterThan(1);
    assertThat(cluster.membership(worker.identity.nodeId())).isEmpty();
  }

  @Test
  void aStepToldToFailOnOneHostFailsOnlyThereByItsClusterHostName() {
    SimulatedSteps steps = steps(new FailStep("install", "EDGE-1"));
    SimulatedNode edge1 = node(1);
    SimulatedNode edge9 = node(9);

    ServerApi.StepResult there = steps.run(edge1, install("edge-1", VIP, "init"), false, 10);
    ServerApi.StepResult elsewhere =
        steps.run(edge9, install("edge-9", "10.0.9.100", "init"), false, 10);

    assertThat(there.outcome()).isEqualTo("FAILED");
    assertThat(there.output()).contains("could not initialize a Kubernetes cluster");
    assertSucceeded(elsewhere);
  }

  @Test
  void aStepToldToFailOnOneHostFailsThereByItsSimulatedHostName() {
    SimulatedNode node = node(4);
    SimulatedSteps steps = steps(new FailStep("layer-cni", node.identity.hostname()));

    ServerApi.StepResult r =
        steps.run(node, step("layer-cni", "helm upgrade --install cilium"), false, 10);

    assertThat(r.outcome()).isEqualTo("FAILED");
    assertThat(r.output()).contains("Error: INSTALLATION FAILED");
  }

  @Test
  void checkNodesToldToFailOnAMemberFailsThereAlone() {
    SimulatedSteps steps = steps(new FailStep("check-nodes", "edge-1"));
    SimulatedNode init = node(1);
    SimulatedNode cp = node(2);
    steps.run(init, install("edge-1", VIP, "init"), false, 10);
    steps.run(cp, join("edge-2", VIP, "controlplane"), false, 10);

    ServerApi.StepResult there = steps.run(init, step("check-nodes", "kubectl"), false, 1);

    assertThat(there.outcome()).isEqualTo("FAILED");
    assertThat(there.reason()).isEqualTo("simulated failure of step check-nodes");
    assertThat(there.output())
        .contains("The connection to the server " + VIP + ":6443 was refused");
    assertThat(names(checkNodes(steps, cp))).containsExactly("edge-1", "edge-2");
  }

  @Test
  void otherStepsSayWhatTheyWouldHaveRun() {
    ServerApi.StepResult r = steps().run(node(1), step("layer-cni", "helm upgrade"), false, 42);

    assertSucceeded(r);
    assertThat(r.output()).isEqualTo("simulated: helm upgrade\n");
    assertThat(r.durationMs()).isEqualTo(42);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static SimulatedNode node(int index) {
    return new SimulatedNode(
        new SimulatedNode.Identity(
            index,
            "r650",
            String.format("sim-r650-%05d", index),
            "ab",
            UUID.randomUUID(),
            UUID.randomUUID(),
            "credential"));
  }

  static String cloudConfig(String hostname, String vip, String role) {
    return """
        #cloud-config
        hostname: "%s"
        cluster:
          cluster_token: "a-token"
          control_plane_host: "%s"
          role: "%s"
          config: |
            clusterConfiguration:
              controlPlaneEndpoint: "%s:6443"
        """
        .formatted(hostname, vip, role, vip);
  }

  private static ServerApi.Step install(String hostname, String vip, String role) {
    return withConfig("install", hostname, vip, role);
  }

  private static ServerApi.Step join(String hostname, String vip, String role) {
    return withConfig("join", hostname, vip, role);
  }

  private static ServerApi.Step withConfig(String id, String hostname, String vip, String role) {
    return new ServerApi.Step(
        id,
        id,
        "kairos-agent manual-install " + CloudConfig.FILE,
        null,
        Map.of(),
        600,
        0,
        "PENDING",
        1,
        Map.of(CloudConfig.FILE, cloudConfig(hostname, vip, role)));
  }

  private static ServerApi.Step step(String id, String command) {
    return new ServerApi.Step(id, id, command, null, Map.of(), 60, 0, "PENDING", 1, Map.of());
  }

  private static JsonNode checkNodes(SimulatedSteps steps, SimulatedNode on) {
    ServerApi.StepResult r = steps.run(on, step("check-nodes", "kubectl get nodes"), false, 1);
    assertSucceeded(r);
    return Json.MAPPER.readTree(r.output());
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    for (JsonNode item : list.get("items")) {
      names.add(item.get("metadata").get("name").asString());
    }
    return names;
  }

  private static List<Boolean> controlPlane(JsonNode list) {
    List<Boolean> out = new ArrayList<>();
    for (JsonNode item : list.get("items")) {
      out.add(item.get("metadata").get("labels").has("node-role.kubernetes.io/control-plane"));
    }
    return out;
  }

  private static void assertSucceeded(ServerApi.StepResult r) {
    assertThat(r.outcome()).as(r.output()).isEqualTo("SUCCEEDED");
    assertThat(r.exitCode()).isZero();
  }

  /** The PEM block a kubeconfig field holds, decoded: the field must be valid base64. */
  private static String pem(String kubeconfig, String field) {
    String value =
        kubeconfig
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith(field + ": "))
            .findFirst()
            .orElseThrow()
            .substring(field.length() + 2);
    return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
  }
}
