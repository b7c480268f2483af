package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodesHealthTest {

  private static final Set<String> HOSTS = Set.of("edge-cp-1", "edge-cp-2", "edge-worker-1");

  @Test
  void everyExpectedNodeReady() {
    String json =
        nodeList(
            node("edge-cp-1", "True"), node("edge-cp-2", "True"), node("edge-worker-1", "True"));

    NodesHealth health = NodesHealth.parse(json, HOSTS);

    assertThat(health.ready()).isTrue();
    assertThat(health)
        .isEqualTo(new NodesHealth.AllReady(List.of("edge-cp-1", "edge-cp-2", "edge-worker-1")));
  }

  @Test
  void aNodeNotReadyIsNamed() {
    String json =
        nodeList(
            node("edge-cp-1", "True"), node("edge-cp-2", "False"), node("edge-worker-1", "True"));

    NodesHealth health = NodesHealth.parse(json, HOSTS);

    assertThat(health.ready()).isFalse();
    assertThat(health).isEqualTo(new NodesHealth.NotAllReady(List.of("edge-cp-2"), List.of()));
  }

  @Test
  void aNodeThatHasNotJoinedIsMissing() {
    String json = nodeList(node("edge-cp-1", "True"), node("edge-cp-2", "True"));

    NodesHealth health = NodesHealth.parse(json, HOSTS);

    assertThat(health).isEqualTo(new NodesHealth.NotAllReady(List.of(), List.of("edge-worker-1")));
  }

  @Test
  void anUnknownReadyConditionOrNoneAtAllIsNotReady() {
    String json =
        nodeList(
            node("edge-cp-1", "True"),
            node("edge-cp-2", "Unknown"),
            "{\"metadata\":{\"name\":\"edge-worker-1\"},\"status\":{}}");

    NodesHealth health = NodesHealth.parse(json, HOSTS);

    assertThat(health)
        .isEqualTo(new NodesHealth.NotAllReady(List.of("edge-cp-2", "edge-worker-1"), List.of()));
  }

  @Test
  void nodeNamesAreMatchedIgnoringCaseAndUnexpectedNodesIgnored() {
    String json = nodeList(node("edge-cp-1", "True"), node("edge-other", "False"));

    NodesHealth health = NodesHealth.parse(json, Set.of("Edge-CP-1"));

    assertThat(health.ready()).isTrue();
  }

  @Test
  void malformedJsonIsAnUnreadableResultNotAnException() {
    NodesHealth health = NodesHealth.parse("{\"items\": [ {\"metadata\": ", HOSTS);

    assertThat(health).isInstanceOf(NodesHealth.Unreadable.class);
    assertThat(health.ready()).isFalse();
    assertThat(((NodesHealth.Unreadable) health).reason()).contains("not JSON");
  }

  @Test
  void outputThatIsNotANodeListIsUnreadable() {
    for (String output :
        new String[] {
          "", "error: You must be logged in to the server", "[]", "{\"kind\":\"Status\"}"
        }) {
      NodesHealth health = NodesHealth.parse(output, HOSTS);

      assertThat(health).as(output).isInstanceOf(NodesHealth.Unreadable.class);
    }
  }

  @Test
  void theStepWaitsForReadyNodesThenListsThemAsCompactJsonWithTheAdminKubeconfig() {
    RenderedStep step = HealthSteps.nodes();

    assertThat(step.command())
        .startsWith(
            "kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready node --all"
                + " --timeout=600s >/dev/null && kubectl --kubeconfig /etc/kubernetes/admin.conf"
                + " get nodes -o 'go-template=")
        .contains("{{$n.metadata.name}}", "{{$c.type}}", "{{$c.status}}");
    assertThat(step.files()).isEmpty();
  }

  @Test
  void whatTheTemplatePrintsIsReadAsANodeList() {
    // The template's output for two nodes, as kubectl prints it.
    String printed =
        "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
            + "{\"metadata\":{\"name\":\"edge-1\"},\"status\":{\"conditions\":["
            + "{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
            + "{\"type\":\"Ready\",\"status\":\"True\"}]}},"
            + "{\"metadata\":{\"name\":\"edge-2\"},\"status\":{\"conditions\":["
            + "{\"type\":\"Ready\",\"status\":\"False\"}]}}]}";

    NodesHealth health = NodesHealth.parse(printed, java.util.Set.of("edge-1", "edge-2"));

    assertThat(health).isEqualTo(new NodesHealth.NotAllReady(List.of("edge-2"), List.of()));
  }

  private static String nodeList(String... nodes) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", nodes) + "]}";
  }

  private static String node(String name, String ready) {
    return "{\"kind\":\"Node\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"status\":{\"conditions\":["
        + "{\"type\":\"MemoryPressure\",\"status\":\"False\"},"
        + "{\"type\":\"Ready\",\"status\":\""
        + ready
        + "\",\"reason\":\"KubeletReady\"}]}}";
  }
}
