package dev.easel.clusters.application;

import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.render.LayerType;
import dev.easel.clusters.domain.render.NodeRole;
import dev.easel.clusters.domain.render.RenderLayer;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.testing.TestPlanKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A three-node cluster as the formation saga renders it: an init node, a second control plane and a
 * worker, with an operating-system, a Kubernetes and a networking layer, so that apply-layers has a
 * plan to send.
 */
final class Formations {

  static final UUID CLUSTER_ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");
  static final UUID INIT = UUID.fromString("00000000-0000-4000-8000-0000000000a1");
  static final UUID CONTROL_PLANE = UUID.fromString("00000000-0000-4000-8000-0000000000a2");
  static final UUID WORKER = UUID.fromString("00000000-0000-4000-8000-0000000000b1");

  static final String INIT_HOST = "edge-cp-1";
  static final String CONTROL_PLANE_HOST = "edge-cp-2";
  static final String WORKER_HOST = "edge-worker-1";

  static final String TOKEN = "e4f1c9a2-cluster-token-that-joins-nodes";
  static final String VIP = "10.10.0.100";
  static final String RESERVATION = "cluster-" + CLUSTER_ID;

  static final String OS_VALUES =
      """
      kairos:
        users:
          - name: kairos
            groups:
              - admin
            lock_passwd: true
      """;

  static final String K8S_VALUES =
      """
      cluster:
        config: |
          clusterConfiguration:
            kubernetesVersion: v1.32.3
          kubeletConfiguration:
            cgroupDriver: systemd
      """;

  static final String CNI_VALUES =
      """
      pack:
        namespace: tigera-operator
        content:
          charts:
            - repo: https://docs.tigera.io/calico/charts
              name: tigera-operator
              version: v3.29.2
      charts:
        tigera-operator:
          installation:
            enabled: true
      """;

  /** kubeadm's admin.conf as the init node prints it: the server is the node's own address. */
  static final String ADMIN_CONF =
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: Y2EtZGF0YQ==
          server: https://10.10.0.11:6443
        name: kubernetes
      contexts:
      - context:
          cluster: kubernetes
          user: kubernetes-admin
        name: kubernetes-admin@kubernetes
      current-context: kubernetes-admin@kubernetes
      kind: Config
      users:
      - name: kubernetes-admin
        user:
          client-certificate-data: Y2xpZW50LWNlcnQ=
          client-key-data: Y2xpZW50LWtleQ==
      """;

  private Formations() {}

  /** Seals plans as cluster-former does, to the public half of the test JVM's plan key. */
  static final PlanSealing SEALING =
      PlanSealing.fromPublicKeyFile(TestPlanKeys.publicKeyFile().toString());

  private static final PlanSecrets.Opener OPENER =
      PlanSecrets.opener(PlanSecrets.readPrivateKey(TestPlanKeys.privateKeyFile()));

  /** A plan as node-discovery reads it: its secret files opened for its own plan and steps. */
  static RunPlan opened(RunPlan plan) {
    List<PlanStep> steps = new ArrayList<>();
    for (PlanStep s : plan.steps()) {
      Map<String, String> files = new LinkedHashMap<>();
      s.secretFiles()
          .forEach((path, v) -> files.put(path, OPENER.open(plan.planId(), s.id(), path, v)));
      steps.add(
          new PlanStep(
              s.id(),
              s.name(),
              s.command(),
              s.action(),
              s.args(),
              s.timeoutSeconds(),
              s.retries(),
              files,
              s.artifacts()));
    }
    return new RunPlan(plan.nodeId(), plan.planId(), plan.owner(), steps, plan.replyWhenFinished());
  }

  /** What the saga starts with. */
  static Formation data() {
    return Formation.of(CLUSTER_ID, INIT, List.of(CONTROL_PLANE), List.of(WORKER));
  }

  /** What the renderer answers for the cluster, every time. */
  static RenderRequest request() {
    return new RenderRequest(
        "easel-mgmt",
        CLUSTER_ID,
        TOKEN,
        VIP,
        "100.64.0.0/18",
        "100.64.64.0/18",
        "1.32.3",
        List.of("ntp1.example.internal"),
        List.of(),
        List.of(
            new RenderNode(
                INIT, INIT_HOST, NodeRole.INIT, Map.of("easel.dev/pool", "cp"), List.of()),
            new RenderNode(
                CONTROL_PLANE,
                CONTROL_PLANE_HOST,
                NodeRole.CONTROL_PLANE,
                Map.of("easel.dev/pool", "cp"),
                List.of()),
            new RenderNode(
                WORKER, WORKER_HOST, NodeRole.WORKER, Map.of("easel.dev/pool", "w"), List.of())),
        List.of(
            new RenderLayer("kairos-ubuntu", "22.4.0", LayerType.OS, OS_VALUES, Map.of()),
            new RenderLayer("pxk-e", "1.32.3", LayerType.K8S, K8S_VALUES, Map.of()),
            new RenderLayer("cni-calico", "3.29.2", LayerType.CNI, CNI_VALUES, Map.of())));
  }

  /** What the health step prints when each host has the given Ready status. */
  static String nodeList(String initReady, String controlPlaneReady, String workerReady) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
        + node(INIT_HOST, initReady)
        + ","
        + node(CONTROL_PLANE_HOST, controlPlaneReady)
        + ","
        + node(WORKER_HOST, workerReady)
        + "]}";
  }

  static String everyNodeReady() {
    return nodeList("True", "True", "True");
  }

  private static String node(String host, String ready) {
    return "{\"metadata\":{\"name\":\""
        + host
        + "\"},\"status\":{\"conditions\":[{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
        + "{\"type\":\"Ready\",\"status\":\""
        + ready
        + "\"}]}}";
  }

  /**
   * Seals by prefixing the cluster and base64-encoding, so a test can open what the saga kept and
   * see that it was sealed for this cluster.
   */
  static final class FakeKubeconfigBox implements FormationSaga.KubeconfigBox {

    @Override
    public String seal(UUID clusterId, String kubeconfig) {
      return prefix(clusterId)
          + Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String open(UUID clusterId, String sealed) {
      if (!sealed.startsWith(prefix(clusterId))) {
        throw new IllegalArgumentException("not sealed for cluster " + clusterId);
      }
      return new String(
          Base64.getDecoder().decode(sealed.substring(prefix(clusterId).length())),
          StandardCharsets.UTF_8);
    }

    private static String prefix(UUID clusterId) {
      return "sealed:" + clusterId + ":";
    }
  }
}
