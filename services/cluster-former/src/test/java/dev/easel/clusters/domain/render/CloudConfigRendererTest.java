package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class CloudConfigRendererTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** {@code -Deasel.golden.update=true} rewrites the golden files from the current output. */
  private static final boolean UPDATE = Boolean.getBoolean("easel.golden.update");

  @Test
  void initNodeMatchesItsGoldenFile() throws IOException {
    assertMatchesGolden("init.yaml", Clusters.init());
  }

  @Test
  void controlPlaneJoinMatchesItsGoldenFile() throws IOException {
    assertMatchesGolden("controlplane.yaml", Clusters.controlPlane());
  }

  @Test
  void workerJoinMatchesItsGoldenFile() throws IOException {
    assertMatchesGolden("worker.yaml", Clusters.worker());
  }

  @Test
  void everyDocumentStartsWithTheCloudConfigHeaderAndParsesAsOneYamlMapping() {
    RenderRequest request = Clusters.ha();
    for (RenderNode node : request.nodes()) {
      String doc = CloudConfigRenderer.render(request, node);

      assertThat(doc).startsWith("#cloud-config\n");
      List<JsonNode> documents = documents(doc);
      assertThat(documents).hasSize(1);
      assertThat(documents.get(0).isObject()).isTrue();
      assertThat(documents.get(0).path("hostname").stringValue()).isEqualTo(node.hostname());
    }
  }

  @Test
  void clusterBlockHoldsExactlyTheKairosFields() {
    RenderRequest request = Clusters.ha();
    for (RenderNode node : request.nodes()) {
      JsonNode cluster = yaml(CloudConfigRenderer.render(request, node)).path("cluster");

      assertThat(cluster.propertyNames())
          .containsExactly("cluster_token", "control_plane_host", "role", "config");
      assertThat(cluster.path("cluster_token").stringValue()).isEqualTo(Clusters.TOKEN);
      assertThat(cluster.path("control_plane_host").stringValue()).isEqualTo(Clusters.VIP);
      assertThat(cluster.path("role").stringValue()).isEqualTo(node.role().kairosName());
      assertThat(cluster.path("config").isString()).isTrue();
    }
  }

  @Test
  void initNodeGetsClusterAndInitConfigurationInKubeadmV1beta4() {
    JsonNode config = kubeadm(Clusters.ha(), Clusters.init());

    assertThat(config.propertyNames())
        .containsExactly("clusterConfiguration", "initConfiguration", "kubeletConfiguration");
    assertSection(config, "clusterConfiguration", "kubeadm.k8s.io/v1beta4", "ClusterConfiguration");
    assertSection(config, "initConfiguration", "kubeadm.k8s.io/v1beta4", "InitConfiguration");
    assertSection(
        config, "kubeletConfiguration", "kubelet.config.k8s.io/v1beta1", "KubeletConfiguration");
    JsonNode cluster = config.path("clusterConfiguration");
    assertThat(cluster.path("kubernetesVersion").stringValue()).isEqualTo("v1.32.3");
    assertThat(cluster.path("controlPlaneEndpoint").stringValue()).isEqualTo("10.10.0.100:6443");
    assertThat(cluster.at("/networking/podSubnet").stringValue()).isEqualTo("100.64.0.0/18");
    assertThat(cluster.at("/networking/serviceSubnet").stringValue()).isEqualTo("100.64.64.0/18");
    assertThat(strings(cluster.at("/apiServer/certSANs")))
        .containsOnlyOnce(Clusters.VIP)
        .contains("localhost");
  }

  @Test
  void controlPlaneJoinsAsAControlPlaneAndWorkerJoinsWithoutOne() {
    JsonNode controlPlane = kubeadm(Clusters.ha(), Clusters.controlPlane());
    JsonNode worker = kubeadm(Clusters.ha(), Clusters.worker());

    for (JsonNode config : List.of(controlPlane, worker)) {
      assertThat(config.propertyNames())
          .containsExactly("clusterConfiguration", "joinConfiguration", "kubeletConfiguration");
      assertSection(config, "joinConfiguration", "kubeadm.k8s.io/v1beta4", "JoinConfiguration");
    }
    assertThat(controlPlane.at("/joinConfiguration/controlPlane").isObject()).isTrue();
    assertThat(controlPlane.at("/joinConfiguration/controlPlane").isEmpty()).isTrue();
    assertThat(worker.at("/joinConfiguration/controlPlane").isMissingNode()).isTrue();
  }

  @Test
  void nodeLabelsGoToTheKubeletAndTaintsToTheNodeRegistration() {
    JsonNode registration =
        kubeadm(Clusters.ha(), Clusters.worker()).at("/joinConfiguration/nodeRegistration");

    assertThat(kubeletArg(registration, "node-labels"))
        .isEqualTo("easel.dev/pool=worker-pool,topology.kubernetes.io/zone=rack-2");
    assertThat(kubeletArg(registration, "volume-plugin-dir"))
        .isEqualTo("/var/lib/kubelet/volumeplugins");
    JsonNode taint = registration.path("taints").path(0);
    assertThat(taint.path("key").stringValue()).isEqualTo("easel.dev/storage");
    assertThat(taint.path("value").stringValue()).isEqualTo("dedicated");
    assertThat(taint.path("effect").stringValue()).isEqualTo("NoSchedule");
  }

  @Test
  void controlPlaneWithoutTaintsStaysSchedulable() {
    JsonNode registration =
        kubeadm(Clusters.ha(), Clusters.init()).at("/initConfiguration/nodeRegistration");

    // An empty list, not an absent one: absent, kubeadm adds its control-plane NoSchedule taint.
    assertThat(registration.path("taints").isArray()).isTrue();
    assertThat(registration.path("taints").isEmpty()).isTrue();
  }

  @Test
  void clusterSettingsWinOverTheKubernetesLayersValues() {
    String stale =
        """
        cluster:
          config: |
            clusterConfiguration:
              apiVersion: kubeadm.k8s.io/v1beta3
              kubernetesVersion: v1.31.0
              controlPlaneEndpoint: 192.0.2.1:6443
              networking:
                podSubnet: 192.168.0.0/16
                serviceSubnet: 192.169.0.0/16
              apiServer:
                certSANs: [192.0.2.1]
        """;
    RenderRequest request = withK8sValues(stale);

    JsonNode cluster = kubeadm(request, Clusters.init()).path("clusterConfiguration");

    assertThat(cluster.path("apiVersion").stringValue()).isEqualTo("kubeadm.k8s.io/v1beta4");
    assertThat(cluster.path("kubernetesVersion").stringValue()).isEqualTo("v1.32.3");
    assertThat(cluster.path("controlPlaneEndpoint").stringValue()).isEqualTo("10.10.0.100:6443");
    assertThat(cluster.at("/networking/podSubnet").stringValue()).isEqualTo("100.64.0.0/18");
    assertThat(cluster.at("/networking/serviceSubnet").stringValue()).isEqualTo("100.64.64.0/18");
    assertThat(strings(cluster.at("/apiServer/certSANs")))
        .containsExactly("192.0.2.1", Clusters.VIP);
  }

  @Test
  void kubeletArgumentsInTheV1beta3MappingBecomeTheV1beta4ListAndKeepThePacksLabels() {
    String v1beta3 =
        """
        cluster:
          config: |
            joinConfiguration:
              nodeRegistration:
                kubeletExtraArgs:
                  volume-plugin-dir: /var/lib/kubelet/volumeplugins
                  node-labels: easel.dev/pool=from-pack,easel.dev/tier=infra
        """;
    RenderRequest request = withK8sValues(v1beta3);

    JsonNode args =
        kubeadm(request, Clusters.worker())
            .at("/joinConfiguration/nodeRegistration/kubeletExtraArgs");

    assertThat(args.isArray()).isTrue();
    assertThat(args.path(0).path("name").stringValue()).isEqualTo("volume-plugin-dir");
    // The node's own label wins over the pack's for the same key.
    assertThat(args.path(1).path("name").stringValue()).isEqualTo("node-labels");
    assertThat(args.path(1).path("value").stringValue())
        .isEqualTo(
            "easel.dev/pool=worker-pool,easel.dev/tier=infra,topology.kubernetes.io/zone=rack-2");
  }

  @Test
  void withoutLayersTheDocumentHoldsTheNodeAndTheClusterOnly() {
    RenderRequest request =
        Clusters.request(
            Clusters.TOKEN, List.of(Clusters.SSH_KEY), List.of(Clusters.init()), List.of());

    JsonNode doc = yaml(CloudConfigRenderer.render(request, Clusters.init()));

    assertThat(doc.propertyNames()).containsExactly("hostname", "users", "stages", "cluster");
    assertThat(doc.path("users").path(0).propertyNames())
        .containsExactly("name", "ssh_authorized_keys");
    assertThat(doc.path("stages").propertyNames()).containsExactly("boot");
    JsonNode config = yaml(doc.at("/cluster/config").stringValue());
    assertThat(config.propertyNames()).containsExactly("clusterConfiguration", "initConfiguration");
  }

  @Test
  void ntpServersAreSetThroughTimesyncdAtBoot() {
    JsonNode boot =
        yaml(CloudConfigRenderer.render(Clusters.ha(), Clusters.init())).at("/stages/boot");

    JsonNode stage = boot.path(boot.size() - 1);
    assertThat(stage.at("/timesyncd/NTP").stringValue())
        .isEqualTo("ntp1.example.internal ntp2.example.internal");
    assertThat(stage.at("/timesyncd/FallbackNTP").stringValue()).isEmpty();
    assertThat(strings(stage.at("/systemctl/enable"))).containsExactly("systemd-timesyncd");
  }

  @Test
  void withoutNtpServersNoTimeStageIsAdded() {
    RenderRequest ha = Clusters.ha();
    RenderRequest request =
        new RenderRequest(
            ha.clusterName(),
            ha.clusterId(),
            ha.clusterToken(),
            ha.vip(),
            ha.podCidr(),
            ha.serviceCidr(),
            ha.kubernetesVersion(),
            List.of(),
            ha.sshKeys(),
            ha.nodes(),
            ha.layers());

    JsonNode stages = yaml(CloudConfigRenderer.render(request, Clusters.init())).path("stages");

    assertThat(stages.propertyNames()).containsExactly("initramfs");
  }

  @Test
  void fileModesAreWrittenAsNumbersThatMeanTheSameMode() {
    JsonNode file =
        yaml(CloudConfigRenderer.render(Clusters.ha(), Clusters.init()))
            .at("/stages/initramfs/1/files/0");

    assertThat(file.path("path").stringValue()).isEqualTo("/etc/kubernetes/audit-policy.yaml");
    assertThat(file.path("permissions").isInt()).isTrue();
    assertThat(file.path("permissions").intValue()).isEqualTo(0600);
  }

  @Test
  void valuesWithQuotesColonsNewlinesAndHashesSurviveTheRoundTrip() {
    String token = "it's a \"token\": #1\nsecond: line # not a comment";
    String key = "ssh-ed25519 AAAAC3Nza ops: \"#1\" it's {x}";
    String label = "a\"b:#c'd";
    RenderNode worker = Clusters.worker(Map.of("easel.dev/odd", label));
    RenderRequest request = Clusters.request(token, List.of(key), List.of(Clusters.init(), worker));

    JsonNode doc = yaml(CloudConfigRenderer.render(request, worker));

    assertThat(doc.at("/cluster/cluster_token").stringValue()).isEqualTo(token);
    assertThat(doc.at("/users/0/ssh_authorized_keys/0").stringValue()).isEqualTo(key);
    JsonNode config = yaml(doc.at("/cluster/config").stringValue());
    assertThat(kubeletArg(config.at("/joinConfiguration/nodeRegistration"), "node-labels"))
        .isEqualTo("easel.dev/odd=" + label);
  }

  @Test
  void anIpv6VipIsBracketedInTheEndpoint() {
    RenderRequest ha = Clusters.ha();
    RenderRequest request =
        new RenderRequest(
            ha.clusterName(),
            ha.clusterId(),
            ha.clusterToken(),
            "fd00:10::100",
            "fd00:64::/56",
            "fd00:65::/108",
            ha.kubernetesVersion(),
            ha.ntpServers(),
            ha.sshKeys(),
            ha.nodes(),
            List.of());

    JsonNode doc = yaml(CloudConfigRenderer.render(request, Clusters.init()));
    JsonNode cluster = yaml(doc.at("/cluster/config").stringValue()).path("clusterConfiguration");

    assertThat(doc.at("/cluster/control_plane_host").stringValue()).isEqualTo("fd00:10::100");
    assertThat(cluster.path("controlPlaneEndpoint").stringValue()).isEqualTo("[fd00:10::100]:6443");
  }

  @Test
  void refusesANodeThatIsNotInTheCluster() {
    RenderNode stranger =
        new RenderNode(UUID.randomUUID(), "edge-9", NodeRole.WORKER, Map.of(), List.of());

    assertThatThrownBy(() -> CloudConfigRenderer.render(Clusters.ha(), stranger))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge-9");
  }

  @Test
  void reportsKubernetesLayerValuesThatAreNotYaml() {
    RenderRequest request = withK8sValues("cluster:\n  config: [unclosed\n");

    assertThatThrownBy(() -> CloudConfigRenderer.render(request, Clusters.init()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pxk-e")
        .hasMessageContaining("not valid YAML");
  }

  private static void assertMatchesGolden(String name, RenderNode node) throws IOException {
    String actual = CloudConfigRenderer.render(Clusters.ha(), node);
    if (UPDATE) {
      Files.writeString(Path.of("src/test/resources/golden", name), actual);
    }
    assertThat(actual).isEqualTo(golden(name));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = CloudConfigRendererTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static RenderRequest withK8sValues(String values) {
    List<RenderLayer> layers = new ArrayList<>();
    for (RenderLayer l : Clusters.applianceLayers()) {
      layers.add(
          l.type() == LayerType.K8S
              ? new RenderLayer(l.name(), l.version(), l.type(), values, l.parameters())
              : l);
    }
    return Clusters.request(
        Clusters.TOKEN,
        List.of(Clusters.SSH_KEY),
        List.of(Clusters.init(), Clusters.controlPlane(), Clusters.worker()),
        layers);
  }

  private static JsonNode kubeadm(RenderRequest request, RenderNode node) {
    String config =
        yaml(CloudConfigRenderer.render(request, node)).at("/cluster/config").stringValue();
    List<JsonNode> documents = documents(config);
    assertThat(documents).as("provider-kubeadm reads one mapping").hasSize(1);
    return documents.get(0);
  }

  private static void assertSection(JsonNode config, String key, String apiVersion, String kind) {
    assertThat(config.path(key).path("apiVersion").stringValue()).as(key).isEqualTo(apiVersion);
    assertThat(config.path(key).path("kind").stringValue()).as(key).isEqualTo(kind);
  }

  private static String kubeletArg(JsonNode registration, String name) {
    for (JsonNode arg : registration.path("kubeletExtraArgs")) {
      if (name.equals(arg.path("name").stringValue())) {
        return arg.path("value").stringValue();
      }
    }
    return null;
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(n -> out.add(n.stringValue()));
    return out;
  }

  private static JsonNode yaml(String text) {
    return YAML.readTree(text);
  }

  private static List<JsonNode> documents(String text) {
    return YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
  }
}
