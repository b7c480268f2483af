package dev.easel.clusters.domain.formation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.easel.clusters.domain.PublishedProfile;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.RegistryConfig;
import dev.easel.clusters.domain.render.LayerSteps;
import dev.easel.clusters.domain.render.LayerType;
import dev.easel.clusters.domain.render.NodeRole;
import dev.easel.clusters.domain.render.RenderLayer;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.clusters.domain.render.Taint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ClusterRenderingTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final UUID ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final String VIP = "10.10.0.100";
  private static final String TOKEN = "0123456789abcdef-cluster-token";
  private static final String REGISTRY_PASSWORD = "zot-Pa55word";

  private static final Member INIT = member(1, "edge-cp-1", "cp", NodeRole.INIT);
  private static final Member CONTROL_PLANE = member(2, "edge-cp-2", "cp", NodeRole.CONTROL_PLANE);
  private static final Member WORKER = member(11, "edge-w-1", "storage", NodeRole.WORKER);

  private static final String OS_VALUES =
      """
      kairos:
        users:
          - name: kairos
            lock_passwd: true
      """;

  private static final String K8S_VALUES =
      """
      cluster:
        name: "{{.spectro.system.cluster.name}}"
        uid: "{{ .spectro.system.cluster.uid }}"
        endpoint: "{{.spectro.system.cluster.kubevip}}:6443"
        version: "{{.spectro.system.kubernetes.version}}"
      """;

  private static final String CNI_VALUES =
      """
      pack:
        namespace: tigera-operator
      charts:
        tigera-operator:
          mtu: "{{ .spectro.var.POD_MTU }}"
          site: "{{.spectro.var.SITE}}"
          greeting: "{{.spectro.var.GREETING}}"
          unset: "{{.spectro.var.NOT_DECLARED}}"
          password: "{{.spectro.system.registry.password}}"
      """;

  private static final String CSI_VALUES =
      """
      pack:
        namespace: piraeus-system
      """;

  private static final String REGISTRY_VALUES =
      """
      pack:
        namespace: zot-system
      registry:
        endpoint: "{{.spectro.system.cluster.kubevip}}"
        password: "{{.spectro.system.registry.password}}"
      """;

  private static final List<PublishedProfile.Variable> VARIABLES =
      List.of(
          variable("POD_MTU", "number", false, "1450", false),
          variable("SITE", "string", true, null, false),
          variable("GREETING", "string", false, "hi", false));

  // ---- the request ----------------------------------------------------------------------------

  @Test
  void carriesTheClusterItsSettingsAndItsToken() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    assertThat(r.clusterName()).isEqualTo("edge");
    assertThat(r.clusterId()).isEqualTo(ID);
    assertThat(r.clusterToken()).isEqualTo(TOKEN);
    assertThat(r.vip()).isEqualTo(VIP);
    assertThat(r.podCidr()).isEqualTo("100.64.0.0/18");
    assertThat(r.serviceCidr()).isEqualTo("100.64.64.0/18");
    assertThat(r.kubernetesVersion()).isEqualTo("1.32.3");
    assertThat(r.ntpServers()).containsExactly("ntp1.example.internal");
    assertThat(r.toString()).doesNotContain(TOKEN);
  }

  @Test
  void eachMemberIsANodeWithItsPoolsLabelsAndTaints() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    assertThat(r.nodes())
        .extracting(RenderNode::id, RenderNode::hostname, RenderNode::role)
        .containsExactly(
            tuple(INIT.nodeId(), "edge-cp-1", NodeRole.INIT),
            tuple(CONTROL_PLANE.nodeId(), "edge-cp-2", NodeRole.CONTROL_PLANE),
            tuple(WORKER.nodeId(), "edge-w-1", NodeRole.WORKER));
    assertThat(r.initNode().labels()).isEqualTo(Map.of("easel.dev/pool", "cp"));
    assertThat(r.initNode().taints()).isEmpty();
    RenderNode worker = r.nodes().get(2);
    assertThat(worker.labels())
        .isEqualTo(Map.of("easel.dev/pool", "storage", "topology.kubernetes.io/zone", "rack-2"));
    assertThat(worker.taints())
        .containsExactly(
            new Taint("easel.dev/storage", "dedicated", "NoSchedule"),
            new Taint("gpu", "", "NoExecute"));
  }

  @Test
  void thePoolNameLabelCannotBeOverriddenByThePoolsLabels() {
    Cluster c =
        cluster(
            config(RegistryConfig.inClusterDefaults()),
            List.of(
                new Cluster.Pool(
                    "cp", "control-plane", true, Map.of("easel.dev/pool", "other"), List.of()),
                storagePool()));

    RenderRequest r = ClusterRendering.request(c, profile(), secrets());

    assertThat(r.initNode().labels()).containsEntry("easel.dev/pool", "cp");
  }

  @Test
  void aMemberWhosePoolIsGoneIsRefused() {
    Cluster c =
        cluster(
            config(RegistryConfig.inClusterDefaults()),
            List.of(new Cluster.Pool("cp", "control-plane", true, Map.of(), List.of())));

    assertThatThrownBy(() -> ClusterRendering.request(c, profile(), secrets()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node edge-w-1 has no pool");
  }

  @Test
  void aProfileWithoutAKubernetesLayerIsRefused() {
    PublishedProfile noK8s =
        new PublishedProfile(
            "appliance",
            "1.0.0",
            "full",
            "edge-native",
            List.of(layer("os", "kairos-ubuntu", "22.4.0", OS_VALUES)),
            List.of(),
            AT);

    assertThatThrownBy(() -> render(config(RegistryConfig.inClusterDefaults()), noK8s, secrets()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no k8s layer");
  }

  // ---- layers ---------------------------------------------------------------------------------

  @Test
  void keepsTheLayersInProfileOrderWithTheirTypes() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    assertThat(r.layers())
        .extracting(RenderLayer::name, RenderLayer::type)
        .containsExactly(
            tuple("kairos-ubuntu", LayerType.OS),
            tuple("pxk-e", LayerType.K8S),
            tuple("cni-calico", LayerType.CNI),
            tuple("csi-piraeus", LayerType.CSI),
            tuple("zot", LayerType.REGISTRY));
  }

  @Test
  void fillsTheSystemMacros() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    JsonNode k8s = values(r, LayerType.K8S);
    assertThat(k8s.at("/cluster/name").stringValue()).isEqualTo("edge");
    assertThat(k8s.at("/cluster/uid").stringValue()).isEqualTo(ID.toString());
    assertThat(k8s.at("/cluster/endpoint").stringValue()).isEqualTo(VIP + ":6443");
    assertThat(k8s.at("/cluster/version").stringValue()).isEqualTo("1.32.3");
  }

  @Test
  void fillsVariablesWithTheGivenValueElseTheirDefault() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    JsonNode cni = values(r, LayerType.CNI).at("/charts/tigera-operator");
    assertThat(cni.path("mtu").stringValue()).isEqualTo("1450");
    assertThat(cni.path("site").stringValue()).isEqualTo("lab-1");
    assertThat(cni.path("greeting").stringValue()).isEqualTo("hello");
    assertThat(cni.path("unset").stringValue()).isEqualTo("{{.spectro.var.NOT_DECLARED}}");
  }

  @Test
  void theRegistryPasswordIsFilledInTheRegistryLayerOnly() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    assertThat(values(r, LayerType.REGISTRY).at("/registry/password").stringValue())
        .isEqualTo(REGISTRY_PASSWORD);
    assertThat(values(r, LayerType.REGISTRY).at("/registry/endpoint").stringValue()).isEqualTo(VIP);
    assertThat(values(r, LayerType.CNI).at("/charts/tigera-operator/password").stringValue())
        .isEqualTo("{{.spectro.system.registry.password}}");
    assertThat(r.layer(LayerType.CNI).orElseThrow().valuesYaml()).doesNotContain(REGISTRY_PASSWORD);
  }

  @Test
  void theStorageLayerTakesTheDeviceAndThePlacementCountFromTheConfig() {
    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets());

    assertThat(r.layer(LayerType.CSI).orElseThrow().parameters())
        .containsExactly(
            Map.entry(LayerSteps.STORAGE_POOL_DEVICE, "/dev/sdb"),
            Map.entry(LayerSteps.PLACEMENT_COUNT, "3"));
  }

  @Test
  void anInClusterRegistryTakesItsPortAndBasePathFromTheConfig() {
    RegistryConfig registry =
        new RegistryConfig(
            RegistryConfig.Mode.IN_CLUSTER, 30500, "content", null, null, "admin", true, 200);

    RenderRequest r = render(config(registry), profile(), secrets());

    assertThat(r.layer(LayerType.REGISTRY).orElseThrow().parameters())
        .containsExactly(Map.entry(LayerSteps.PORT, "30500"), Map.entry("basePath", "content"));
  }

  @Test
  void anExternalRegistrySkipsTheRegistryLayer() {
    RegistryConfig external =
        new RegistryConfig(
            RegistryConfig.Mode.EXTERNAL,
            null,
            "spectro-content",
            "https://registry.example.com",
            null,
            "robot",
            true,
            null);

    RenderRequest r = render(config(external), profile(), secrets());

    assertThat(r.layer(LayerType.REGISTRY)).isEmpty();
    assertThat(r.layers()).extracting(RenderLayer::name).doesNotContain("zot");
    assertThat(r.layers()).hasSize(4);
  }

  @Test
  void noRegistrySettingsKeepTheRegistryLayerWithoutParameters() {
    RenderRequest r = render(config(null), profile(), secrets());

    assertThat(r.layer(LayerType.REGISTRY).orElseThrow().parameters()).isEmpty();
  }

  @Test
  void aRegistryAddOnIsKnownByItsName() {
    assertThat(ClusterRendering.typeOf(layer("addon", "zot", "0.1.67", "")))
        .isEqualTo(LayerType.REGISTRY);
    assertThat(ClusterRendering.typeOf(layer("addon", "harbor-registry", "1.0", "")))
        .isEqualTo(LayerType.REGISTRY);
    assertThat(ClusterRendering.typeOf(layer("ADDON", "Zot-Edge", "1.0", "")))
        .isEqualTo(LayerType.REGISTRY);
    assertThat(ClusterRendering.typeOf(layer("addon", "metallb", "0.14", "")))
        .isEqualTo(LayerType.ADDON);
    assertThat(ClusterRendering.typeOf(layer("cni", "zot-lookalike", "1.0", "")))
        .isEqualTo(LayerType.CNI);
  }

  @Test
  void aVariableWithALineBreakAndAColonStaysOneString() {
    String hostile = "lab-1\nadmin: true\n  injected: \"yes\"";
    ClusterSecrets secrets = new ClusterSecrets(TOKEN, REGISTRY_PASSWORD, Map.of("SITE", hostile));

    RenderRequest r = render(config(RegistryConfig.inClusterDefaults()), profile(), secrets);

    JsonNode cni = values(r, LayerType.CNI);
    assertThat(cni.at("/charts/tigera-operator/site").stringValue()).isEqualTo(hostile);
    assertThat(cni.has("admin")).isFalse();
    assertThat(cni.at("/charts/tigera-operator").has("admin")).isFalse();
    assertThat(cni.at("/charts/tigera-operator").has("injected")).isFalse();
  }

  @Test
  void renderingTheSameClusterTwiceGivesTheSameRequest() {
    ClusterConfig config = config(RegistryConfig.inClusterDefaults());

    assertThat(render(config, profile(), secrets()))
        .isEqualTo(render(config, profile(), secrets()));
  }

  // ---- taints ---------------------------------------------------------------------------------

  @Test
  void readsATaintWithAValue() {
    assertThat(ClusterRendering.taint("easel.dev/storage=dedicated:NoSchedule"))
        .isEqualTo(new Taint("easel.dev/storage", "dedicated", "NoSchedule"));
  }

  @Test
  void readsATaintWithoutAValue() {
    assertThat(ClusterRendering.taint("gpu:NoExecute"))
        .isEqualTo(new Taint("gpu", "", "NoExecute"));
    assertThat(ClusterRendering.taint("spot=:PreferNoSchedule"))
        .isEqualTo(new Taint("spot", "", "PreferNoSchedule"));
  }

  @Test
  void aTaintWithoutAnEffectIsRefused() {
    assertThatThrownBy(() -> ClusterRendering.taint("gpu=true"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key[=value]:NoSchedule|PreferNoSchedule|NoExecute");
    assertThatThrownBy(() -> ClusterRendering.taint(":NoSchedule"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTaintWithAnUnknownEffectIsRefused() {
    assertThatThrownBy(() -> ClusterRendering.taint("gpu=true:Sometimes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("effect must be");
  }

  @Test
  void aPoolWithABadTaintCannotBeRendered() {
    Cluster c =
        cluster(
            config(RegistryConfig.inClusterDefaults()),
            List.of(
                new Cluster.Pool("cp", "control-plane", true, Map.of(), List.of()),
                new Cluster.Pool("storage", "worker", false, Map.of(), List.of("dedicated"))));

    assertThatThrownBy(() -> ClusterRendering.request(c, profile(), secrets()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("taint 'dedicated'");
  }

  // ---- secrets --------------------------------------------------------------------------------

  @Test
  void theSecretsShowNothingButWhatTheyHold() {
    ClusterSecrets secrets = secrets();

    assertThat(secrets.toString())
        .doesNotContain(TOKEN)
        .doesNotContain(REGISTRY_PASSWORD)
        .doesNotContain("lab-1")
        .contains("SITE");
    assertThat(new ClusterSecrets(TOKEN, null, null).toString()).contains("registryPassword=none");
    assertThat(new ClusterSecrets(TOKEN, null, null).variables()).isEmpty();
  }

  // ---- fixture --------------------------------------------------------------------------------

  private static RenderRequest render(
      ClusterConfig config, PublishedProfile profile, ClusterSecrets secrets) {
    return ClusterRendering.request(cluster(config, pools()), profile, secrets);
  }

  private static JsonNode values(RenderRequest r, LayerType type) {
    return YAML.readTree(r.layer(type).orElseThrow().valuesYaml());
  }

  private static Cluster cluster(ClusterConfig config, List<Cluster.Pool> pools) {
    return new Cluster(
        ID,
        "edge",
        Map.of(),
        Cluster.MANAGEMENT,
        "appliance",
        "1.0.0",
        config,
        pools,
        List.of(INIT, CONTROL_PLANE, WORKER),
        ClusterState.PROVISIONING,
        Set.of(),
        null,
        null,
        AT,
        AT);
  }

  private static List<Cluster.Pool> pools() {
    return List.of(
        new Cluster.Pool("cp", "control-plane", true, Map.of(), List.of()), storagePool());
  }

  private static Cluster.Pool storagePool() {
    return new Cluster.Pool(
        "storage",
        "worker",
        false,
        Map.of("topology.kubernetes.io/zone", "rack-2"),
        List.of("easel.dev/storage=dedicated:NoSchedule", "gpu:NoExecute"));
  }

  private static ClusterConfig config(RegistryConfig registry) {
    return new ClusterConfig(
        "100.64.0.0/18",
        "100.64.64.0/18",
        VIP,
        List.of("ntp1.example.internal"),
        List.of(),
        "/dev/sdb",
        3,
        registry);
  }

  private static PublishedProfile profile() {
    return new PublishedProfile(
        "appliance",
        "1.0.0",
        "full",
        "edge-native",
        List.of(
            layer("os", "kairos-ubuntu", "22.4.0", OS_VALUES),
            layer("k8s", "pxk-e", "1.32.3", K8S_VALUES),
            layer("cni", "cni-calico", "3.29.2", CNI_VALUES),
            layer("csi", "csi-piraeus", "2.8.1", CSI_VALUES),
            layer("addon", "zot", "0.1.67", REGISTRY_VALUES)),
        VARIABLES,
        AT);
  }

  private static ClusterSecrets secrets() {
    return new ClusterSecrets(
        TOKEN, REGISTRY_PASSWORD, Map.of("SITE", "lab-1", "GREETING", "hello"));
  }

  private static PublishedProfile.Layer layer(
      String type, String name, String version, String values) {
    return new PublishedProfile.Layer(type, name, version, "sha256:" + name, values);
  }

  private static PublishedProfile.Variable variable(
      String name, String format, boolean required, String defaultValue, boolean sensitive) {
    return new PublishedProfile.Variable(
        name, format, required, defaultValue, null, sensitive, List.of());
  }

  private static Member member(int n, String hostname, String pool, NodeRole role) {
    return new Member(
        UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n)), hostname, pool, role);
  }
}
