package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RenderRequestTest {

  @Test
  void needsExactlyOneInitNode() {
    assertThatThrownBy(
            () -> Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.controlPlane())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one node must have the role init; found 0");
    RenderNode secondInit =
        new RenderNode(UUID.randomUUID(), "edge-cp-9", NodeRole.INIT, Map.of(), List.of());
    assertThatThrownBy(
            () -> Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init(), secondInit)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found 2");
  }

  @Test
  void refusesHostnamesThatDifferOnlyInCase() {
    RenderNode shouting =
        new RenderNode(UUID.randomUUID(), "EDGE-CP-1", NodeRole.WORKER, Map.of(), List.of());

    assertThatThrownBy(
            () -> Clusters.request(Clusters.TOKEN, List.of(), List.of(Clusters.init(), shouting)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("used twice");
  }

  @Test
  void refusesAnSshKeySpanningLines() {
    assertThatThrownBy(
            () ->
                Clusters.request(
                    Clusters.TOKEN,
                    List.of("ssh-ed25519 AAAA a\nssh-rsa BBBB intruder"),
                    List.of(Clusters.init())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single");
  }

  @Test
  void refusesLabelsTheKubeletMayNotSetOnItself() {
    assertThatThrownBy(() -> Clusters.worker(Map.of("node-role.kubernetes.io/worker", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node-role.kubernetes.io/worker");
    assertThat(Clusters.worker(Map.of("node.kubernetes.io/pool", "a")).labels())
        .containsEntry("node.kubernetes.io/pool", "a");
    assertThat(Clusters.worker(Map.of("topology.kubernetes.io/zone", "z")).labels())
        .containsEntry("topology.kubernetes.io/zone", "z");
  }

  @Test
  void refusesATaintWithAnUnknownEffect() {
    assertThatThrownBy(() -> new Taint("dedicated", "storage", "NoWay"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NoSchedule");
  }

  @Test
  void writesTheVersionAsKubeadmDoes() {
    assertThat(Clusters.ha().kubeadmVersion()).isEqualTo("v1.32.3");
  }

  @Test
  void readsLayerTypesAsPacksNameThem() {
    assertThat(LayerType.of("k8s")).isEqualTo(LayerType.K8S);
    assertThat(LayerType.of("Registry")).isEqualTo(LayerType.REGISTRY);
    assertThatThrownBy(() -> LayerType.of("storage")).isInstanceOf(IllegalArgumentException.class);
  }
}
