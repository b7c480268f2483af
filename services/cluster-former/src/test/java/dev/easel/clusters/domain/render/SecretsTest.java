package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster token joins any machine to the cluster; it must not end up in a log line. */
class SecretsTest {

  @Test
  void theTokenIsAbsentFromTheTextOfEveryValue() {
    RenderRequest request = Clusters.ha();
    List<Object> values = new ArrayList<>();
    values.add(request);
    values.addAll(request.nodes());
    values.addAll(request.layers());
    request.nodes().forEach(n -> values.addAll(n.taints()));
    values.addAll(LayerSteps.render(request));
    values.add(HealthSteps.nodes());
    values.add(KubeconfigStep.fetch());
    values.add(NodesHealth.parse("{\"items\":[]}", Set.of("edge-cp-1")));

    for (Object value : values) {
      assertThat(value.toString())
          .as(value.getClass().getSimpleName())
          .doesNotContain(Clusters.TOKEN);
    }
    assertThat(request.toString()).contains("clusterToken=" + RenderRequest.MASK);
  }

  @Test
  void theTokenGoesIntoTheCloudConfigAndNoStep() {
    RenderRequest request = Clusters.ha();

    assertThat(CloudConfigRenderer.render(request, Clusters.worker())).contains(Clusters.TOKEN);
    for (RenderedStep step : LayerSteps.render(request)) {
      assertThat(step.command()).doesNotContain(Clusters.TOKEN);
      assertThat(step.files().values()).noneMatch(content -> content.contains(Clusters.TOKEN));
    }
  }

  @Test
  void layerValuesAndStepFilesAreNotPrintedBecauseTheyHoldPasswords() {
    RenderRequest request = Clusters.ha();
    RenderLayer zot = request.layer(LayerType.REGISTRY).orElseThrow();
    RenderedStep step = LayerSteps.render(request).get(2);

    assertThat(zot.valuesYaml()).contains(Clusters.REGISTRY_PASSWORD);
    assertThat(zot.toString()).doesNotContain(Clusters.REGISTRY_PASSWORD);
    assertThat(step.files().values()).anyMatch(content -> content.contains("YWRtaW46"));
    assertThat(step.toString()).doesNotContain("YWRtaW46").contains("values.yaml");
  }
}
