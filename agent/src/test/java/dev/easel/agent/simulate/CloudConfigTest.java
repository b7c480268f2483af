package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.server.ServerApi;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudConfigTest {

  /** The shape cluster-former renders (its golden init.yaml), shortened. */
  static final String INIT =
      """
      #cloud-config
      hostname: "edge-cp-1"
      users:
        - name: "kairos"
          lock_passwd: true
      stages:
        initramfs:
          - name: "Kubernetes files and links"
            files:
              - path: "/etc/kubernetes/audit-policy.yaml"
                content: |
                  apiVersion: audit.k8s.io/v1
                  kind: Policy
      cluster:
        cluster_token: "e4f1c9a2-token-that-joins-nodes"
        control_plane_host: "10.10.0.100"
        role: "init"
        config: |
          clusterConfiguration:
            controlPlaneEndpoint: "10.10.0.100:6443"
            role: "not-this-one"
          control_plane_host: "nor-this-one"
      """;

  @Test
  void readsTheHostNameAndTheClusterItFormsFromARenderedCloudConfig() {
    assertThat(CloudConfig.read(INIT))
        .isEqualTo(new CloudConfig("edge-cp-1", "10.10.0.100", "init"));
  }

  @Test
  void readsPlainAndSingleQuotedValuesAndIgnoresComments() {
    String config =
        """
        #cloud-config
        hostname: edge-1 # the first one
        cluster:
            cluster_token: 'it''s secret'
            control_plane_host: 10.0.0.100
            role: worker        # or controlplane or worker
        install:
          auto: true
        """;
    assertThat(CloudConfig.read(config))
        .isEqualTo(new CloudConfig("edge-1", "10.0.0.100", "worker"));
  }

  @Test
  void keysOutsideTheirPlaceAreNotTaken() {
    String config =
        """
        stages:
          boot:
            - hostname: "wrong"
        role: init
        control_plane_host: 10.9.9.9
        cluster:
          role: controlplane
        """;
    assertThat(CloudConfig.read(config)).isEqualTo(new CloudConfig(null, null, "controlplane"));
  }

  @Test
  void aStepCarriesItsCloudConfigAsTheClusterSecretFile() {
    assertThat(CloudConfig.of(step(Map.of(CloudConfig.FILE, INIT))))
        .map(CloudConfig::controlPlaneHost)
        .contains("10.10.0.100");
    assertThat(CloudConfig.of(step(Map.of("/oem/other.yaml", INIT)))).isEmpty();
  }

  private static ServerApi.Step step(Map<String, String> secretFiles) {
    return new ServerApi.Step(
        "install",
        "Install",
        "kairos-agent install",
        null,
        Map.of(),
        60,
        0,
        "PENDING",
        1,
        secretFiles);
  }
}
