package dev.easel.clusters.domain.render;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A three-node management cluster as the appliance forms it: an init node, a second control plane
 * and a worker, with the appliance's layers. The layer values are trimmed copies of the packs'
 * (pack-manager's {@code packs/}), with the profile variables filled in as pack-manager resolves
 * them.
 */
public final class Clusters {

  static final UUID CLUSTER_ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");
  static final UUID INIT_ID = UUID.fromString("00000000-0000-4000-8000-0000000000a1");
  static final UUID CONTROL_PLANE_ID = UUID.fromString("00000000-0000-4000-8000-0000000000a2");
  static final UUID WORKER_ID = UUID.fromString("00000000-0000-4000-8000-0000000000b1");

  static final String TOKEN = "e4f1c9a2-token-that-joins-nodes";
  static final String VIP = "10.10.0.100";
  static final String SSH_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk1bXBsZUtleUZvckVhc2VsQXBwbGlhbmNl ops@easel";
  static final String REGISTRY_PASSWORD = "zot-Pa55word";

  public static final String OS_VALUES =
      """
      pack:
        namespace: kube-system
      kairos:
        install:
          device: auto
          auto: true
        users:
          - name: kairos
            groups:
              - admin
            lock_passwd: true
            ssh_authorized_keys: []
        stages:
          boot:
            - name: "Time synchronisation"
              timesyncd:
                NTP: "0.pool.ntp.org 1.pool.ntp.org"
                FallbackNTP: ""
      """;

  public static final String K8S_VALUES =
      """
      pack:
        namespace: kube-system
      cluster:
        config: |
          clusterConfiguration:
            kubernetesVersion: v1.32.3
            controlPlaneEndpoint: "10.10.0.100:6443"
            imageRepository: registry.k8s.io
            apiServer:
              certSANs:
                - "10.10.0.100"
                - localhost
                - 127.0.0.1
              extraArgs:
                - name: authorization-mode
                  value: Node,RBAC
                - name: profiling
                  value: "false"
                - name: audit-policy-file
                  value: /etc/kubernetes/audit-policy.yaml
            etcd:
              local:
                # /etc/kubernetes is persistent on Kairos.
                dataDir: /etc/kubernetes/etcd
            networking:
              dnsDomain: cluster.local
              podSubnet: '100.64.0.0/18'
              serviceSubnet: '100.64.64.0/18'
          initConfiguration:
            nodeRegistration:
              kubeletExtraArgs:
                - name: volume-plugin-dir
                  value: /var/lib/kubelet/volumeplugins
              taints: []
            timeouts:
              controlPlaneComponentHealthCheck: 10m0s
          joinConfiguration:
            nodeRegistration:
              kubeletExtraArgs:
                - name: volume-plugin-dir
                  value: /var/lib/kubelet/volumeplugins
              taints: []
            timeouts:
              discovery: 10m0s
          kubeletConfiguration:
            cgroupDriver: systemd
            readOnlyPort: 0
            protectKernelDefaults: true
            shutdownGracePeriod: 60s
      stages:
        initramfs:
          - name: "Kernel values the kubelet checks (protectKernelDefaults)"
            sysctl:
              vm.overcommit_memory: "1"
              kernel.panic: "10"
          - name: "Kubernetes files and links"
            commands:
              - mkdir -p /var/lib/kubelet/volumeplugins /var/log/apiserver
              - ln -sf /etc/kubernetes/admin.conf /run/kubeconfig
            files:
              - path: /etc/kubernetes/audit-policy.yaml
                owner_string: root
                permissions: 0600
                content: |
                  apiVersion: audit.k8s.io/v1
                  kind: Policy
                  rules:
                    - level: Metadata
      """;

  public static final String CNI_VALUES =
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
            flexVolumePath: /var/lib/kubelet/volumeplugins
            calicoNetwork:
              bgp: Disabled
              ipPools:
                - name: default-ipv4-ippool
                  cidr: 100.64.0.0/18
                  encapsulation: VXLANCrossSubnet
      """;

  public static final String CSI_VALUES =
      """
      pack:
        namespace: piraeus-system
        content:
          charts:
            - repo: oci://ghcr.io/piraeusdatastore/piraeus-operator
              name: piraeus
              version: 2.8.1
      charts:
        piraeus:
          installCRDs: true
          replicaCount: 1
      manifests:
        linstor-cluster:
          storagePool:
            hostDevices:
              - /dev/sdb
          storageClass:
            placementCount: "3"
      """;

  public static final String REGISTRY_VALUES =
      """
      pack:
        namespace: zot-system
        content:
          charts:
            - repo: https://zotregistry.dev/helm-charts
              name: zot
              version: 0.1.67
      registry:
        endpoint: 10.10.0.100
        port: 30003
        password: zot-Pa55word
      charts:
        zot:
          service:
            type: NodePort
            port: 5000
            nodePort: 30003
          authHeader: YWRtaW46em90LVBhNTV3b3Jk
      """;

  private Clusters() {}

  static RenderNode init() {
    return new RenderNode(
        INIT_ID,
        "edge-cp-1",
        NodeRole.INIT,
        Map.of("easel.dev/pool", "control-plane-pool"),
        List.of());
  }

  static RenderNode controlPlane() {
    return new RenderNode(
        CONTROL_PLANE_ID,
        "edge-cp-2",
        NodeRole.CONTROL_PLANE,
        Map.of("easel.dev/pool", "control-plane-pool"),
        List.of());
  }

  static RenderNode worker() {
    return worker(Map.of("easel.dev/pool", "worker-pool", "topology.kubernetes.io/zone", "rack-2"));
  }

  static RenderNode worker(Map<String, String> labels) {
    return new RenderNode(
        WORKER_ID,
        "edge-worker-1",
        NodeRole.WORKER,
        labels,
        List.of(new Taint("easel.dev/storage", "dedicated", "NoSchedule")));
  }

  static List<RenderLayer> applianceLayers() {
    return List.of(
        new RenderLayer("kairos-ubuntu", "22.4.0", LayerType.OS, OS_VALUES, Map.of()),
        new RenderLayer("pxk-e", "1.32.3", LayerType.K8S, K8S_VALUES, Map.of()),
        new RenderLayer("cni-calico", "3.29.2", LayerType.CNI, CNI_VALUES, Map.of()),
        new RenderLayer(
            "csi-piraeus",
            "2.8.1",
            LayerType.CSI,
            CSI_VALUES,
            Map.of(LayerSteps.STORAGE_POOL_DEVICE, "/dev/sdb", LayerSteps.PLACEMENT_COUNT, "3")),
        new RenderLayer(
            "zot",
            "0.1.67",
            LayerType.REGISTRY,
            REGISTRY_VALUES,
            Map.of(LayerSteps.PORT, "30003", "basePath", "spectro-content")));
  }

  /** The appliance's three-node HA cluster. */
  static RenderRequest ha() {
    return request(TOKEN, List.of(SSH_KEY), List.of(init(), controlPlane(), worker()));
  }

  static RenderRequest request(String token, List<String> sshKeys, List<RenderNode> nodes) {
    return request(token, sshKeys, nodes, applianceLayers());
  }

  static RenderRequest request(
      String token, List<String> sshKeys, List<RenderNode> nodes, List<RenderLayer> layers) {
    return new RenderRequest(
        "easel-mgmt",
        CLUSTER_ID,
        token,
        VIP,
        "100.64.0.0/18",
        "100.64.64.0/18",
        "1.32.3",
        List.of("ntp1.example.internal", "ntp2.example.internal"),
        sshKeys,
        nodes,
        layers);
  }
}
