package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class LayerStepsTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  @Test
  void installsNetworkingThenStorageThenTheRegistryAndNeverTheNodeLayers() {
    List<RenderedStep> steps = LayerSteps.render(Clusters.ha());

    assertThat(steps)
        .extracting(RenderedStep::id)
        .containsExactly("layer-cni-calico", "layer-csi-piraeus", "layer-zot");
  }

  @Test
  void ordersByLayerTypeWhateverTheProfileOrder() {
    List<RenderLayer> reversed = new ArrayList<>(Clusters.applianceLayers());
    Collections.reverse(reversed);
    RenderRequest request =
        Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), reversed);

    assertThat(LayerSteps.render(request))
        .extracting(RenderedStep::id)
        .containsExactly("layer-cni-calico", "layer-csi-piraeus", "layer-zot");
  }

  @Test
  void writesTheChartsValuesAndInstallsTheChartWithHelm() {
    RenderedStep calico = step("layer-cni-calico");

    assertThat(calico.files()).containsOnlyKeys("/var/lib/easel/layers/cni-calico/values.yaml");
    JsonNode values =
        YAML.readTree(calico.files().get("/var/lib/easel/layers/cni-calico/values.yaml"));
    assertThat(values.at("/installation/calicoNetwork/ipPools/0/cidr").stringValue())
        .isEqualTo("100.64.0.0/18");
    assertThat(calico.command())
        .isEqualTo(
            "helm upgrade --install cni-calico tigera-operator"
                + " --repo https://docs.tigera.io/calico/charts --version v3.29.2"
                + " --namespace tigera-operator --create-namespace"
                + " --kubeconfig /etc/kubernetes/admin.conf --wait --timeout 15m"
                + " --values /var/lib/easel/layers/cni-calico/values.yaml");
  }

  @Test
  void storageGetsItsPoolDeviceAndPlacementCountAndComesFromItsOciRepository() {
    RenderedStep piraeus = step("layer-csi-piraeus");

    assertThat(piraeus.command())
        .startsWith(
            "helm upgrade --install csi-piraeus"
                + " oci://ghcr.io/piraeusdatastore/piraeus-operator/piraeus --version 2.8.1"
                + " --namespace piraeus-system")
        .contains(" --wait ")
        .contains(" --kubeconfig /etc/kubernetes/admin.conf ")
        .endsWith(
            " --set-string 'storagePool.hostDevices[0]=/dev/sdb'"
                + " --set-string storageClass.placementCount=3");
  }

  @Test
  void registryGetsItsPort() {
    RenderedStep zot = step("layer-zot");

    assertThat(zot.command())
        .contains("--namespace zot-system")
        .endsWith(" --set service.nodePort=30003");
    assertThat(zot.command()).doesNotContain("spectro-content");
  }

  @Test
  void argumentsFromInputAreShellQuoted() {
    RenderLayer csi =
        new RenderLayer(
            "csi-piraeus",
            "2.8.1",
            LayerType.CSI,
            Clusters.CSI_VALUES,
            Map.of(LayerSteps.STORAGE_POOL_DEVICE, "/dev/disk/by-id/it's; rm -rf /,x"));
    RenderRequest request =
        Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), List.of(csi));

    String command = LayerSteps.render(request).get(0).command();

    // One shell word; Helm's own separator (the comma) is escaped for --set.
    assertThat(command)
        .endsWith(
            " --set-string 'storagePool.hostDevices[0]=/dev/disk/by-id/it'\\''s; rm -rf /\\,x'");
  }

  @Test
  void aLayerWithoutAChartIsAppliedWithKubectlIntoItsNamespace() {
    RenderLayer manifests =
        new RenderLayer(
            "easel-extras",
            "1.0.0",
            LayerType.ADDON,
            "pack:\n  namespace: easel-extras\nmanifests:\n  extras:\n    replicas: 2\n",
            Map.of());
    RenderRequest request =
        Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), List.of(manifests));

    RenderedStep step = LayerSteps.render(request).get(0);

    assertThat(step.files()).containsOnlyKeys("/var/lib/easel/layers/easel-extras/values.yaml");
    assertThat(step.command())
        .isEqualTo(
            "kubectl --kubeconfig /etc/kubernetes/admin.conf create namespace easel-extras"
                + " --dry-run=client --output yaml"
                + " | kubectl --kubeconfig /etc/kubernetes/admin.conf apply --filename -"
                + " && kubectl --kubeconfig /etc/kubernetes/admin.conf apply"
                + " --namespace easel-extras --recursive"
                + " --filename /var/lib/easel/layers/easel-extras/manifests --wait");
  }

  @Test
  void refusesAPortOrPlacementCountThatIsNotANumberInRange() {
    for (Map<String, String> bad :
        List.of(Map.of(LayerSteps.PORT, "30003; reboot"), Map.of(LayerSteps.PORT, "70000"))) {
      RenderLayer zot =
          new RenderLayer("zot", "0.1.67", LayerType.REGISTRY, Clusters.REGISTRY_VALUES, bad);
      RenderRequest request =
          Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), List.of(zot));

      assertThatThrownBy(() -> LayerSteps.render(request))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("port");
    }
    RenderLayer csi =
        new RenderLayer(
            "csi-piraeus",
            "2.8.1",
            LayerType.CSI,
            Clusters.CSI_VALUES,
            Map.of(LayerSteps.PLACEMENT_COUNT, "0"));
    RenderRequest request =
        Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), List.of(csi));
    assertThatThrownBy(() -> LayerSteps.render(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placementCount");
  }

  @Test
  void refusesAChartReferenceHelmWouldTakeForAnOption() {
    String values =
        Clusters.CNI_VALUES.replace("name: tigera-operator", "name: --post-renderer=/tmp/x");
    RenderLayer cni = new RenderLayer("cni-calico", "3.29.2", LayerType.CNI, values, Map.of());
    RenderRequest request =
        Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init()), List.of(cni));

    assertThatThrownBy(() -> LayerSteps.render(request))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chart name");
  }

  @Test
  void rendersTheSameStepsEveryTime() {
    assertThat(LayerSteps.render(Clusters.ha())).isEqualTo(LayerSteps.render(Clusters.ha()));
  }

  private static RenderedStep step(String id) {
    return LayerSteps.render(Clusters.ha()).stream()
        .filter(s -> s.id().equals(id))
        .findFirst()
        .orElseThrow();
  }
}
