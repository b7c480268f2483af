package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class KubeconfigTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private static final String ADMIN_CONF =
      """
      apiVersion: v1
      clusters:
      - cluster:
          certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUMvakNDQWVhZ0F3SUJBZ0lCQURBTkJna3Foa2lHOXcwQkFRc0ZBREFWTVJNd0VRWURWUVFERXdwcmRXSmwKY201bGRHVnpNQjRYRFRJMU1ERXdNVEF3TURBd01Gb1hEVE0xTURFd01UQXdNREF3TUZvd0ZURVRNQkVHQTFVRQpBeE1LYTNWaVpYSnVaWFJsY3pDQ0FTSXdEUVlKS29aSWh2Y04K
          server: https://10.10.0.11:6443
        name: kubernetes
      contexts:
      - context:
          cluster: kubernetes
          user: kubernetes-admin
        name: kubernetes-admin@kubernetes
      current-context: kubernetes-admin@kubernetes
      kind: Config
      preferences: {}
      users:
      - name: kubernetes-admin
        user:
          client-certificate-data: Y2xpZW50LWNlcnQ=
          client-key-data: Y2xpZW50LWtleQ==
      """;

  @Test
  void pointsEveryClusterAtTheVip() {
    String rewritten = Kubeconfig.rewriteServer(ADMIN_CONF, "10.10.0.100");

    JsonNode config = YAML.readTree(rewritten);
    assertThat(config.at("/clusters/0/cluster/server").stringValue())
        .isEqualTo("https://10.10.0.100:6443");
  }

  @Test
  void keepsEverythingElse() {
    JsonNode before = YAML.readTree(ADMIN_CONF);

    JsonNode after = YAML.readTree(Kubeconfig.rewriteServer(ADMIN_CONF, "10.10.0.100"));

    ((ObjectNode) before.at("/clusters/0/cluster")).put("server", "https://10.10.0.100:6443");
    assertThat(after).isEqualTo(before);
  }

  @Test
  void bracketsAnIpv6Vip() {
    JsonNode config = YAML.readTree(Kubeconfig.rewriteServer(ADMIN_CONF, "fd00:10::100"));

    assertThat(config.at("/clusters/0/cluster/server").stringValue())
        .isEqualTo("https://[fd00:10::100]:6443");
  }

  @Test
  void refusesTextThatIsNotAKubeconfigWithoutQuotingIt() {
    assertThatThrownBy(
            () -> Kubeconfig.rewriteServer("clusters: [\n  client-key-data: S3CR3T", "10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid YAML")
        .hasMessageNotContaining("S3CR3T")
        .hasNoCause();
    assertThatThrownBy(() -> Kubeconfig.rewriteServer("kind: Config\nclusters: []\n", "10.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no clusters");
  }

  @Test
  void theStepReadsTheAdminKubeconfig() {
    RenderedStep step = KubeconfigStep.fetch();

    assertThat(step.command()).isEqualTo("cat /etc/kubernetes/admin.conf");
    assertThat(step.files()).isEmpty();
  }
}
