package dev.easel.clusters.domain.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void defaultsAreTheAppliancesWhereNothingIsGiven() {
    ClusterConfig given =
        new ClusterConfig(null, null, "10.10.0.100", null, null, null, null, null);

    ClusterConfig completed = given.withDefaults();

    assertThat(completed.podCidr()).isEqualTo("100.64.0.0/18");
    assertThat(completed.serviceCidr()).isEqualTo("100.64.64.0/18");
    assertThat(completed.csiPlacementCount()).isEqualTo(1);
    assertThat(completed.ntpServers()).isEmpty();
    assertThat(completed.sshKeys()).isEmpty();
    assertThat(completed.vip()).isEqualTo("10.10.0.100");
    assertThat(completed.storagePoolDevice()).isNull();
    assertThat(completed.registry())
        .isEqualTo(
            new RegistryConfig(
                RegistryConfig.Mode.IN_CLUSTER,
                30003,
                "spectro-content",
                null,
                null,
                "admin",
                false,
                100));
  }

  @Test
  void givenValuesAreKept() {
    RegistryConfig registry =
        new RegistryConfig(
            RegistryConfig.Mode.IN_CLUSTER, 31000, "content", null, null, "ops", true, 250);
    ClusterConfig given =
        new ClusterConfig(
            "10.244.0.0/16",
            "10.96.0.0/12",
            "10.10.0.100",
            List.of("pool.ntp.org"),
            List.of("ssh-ed25519 AAAA"),
            "/dev/sdc",
            3,
            registry);

    assertThat(given.withDefaults()).isEqualTo(given);
  }

  @Test
  void anInClusterRegistryGetsItsDefaultsFieldByField() {
    RegistryConfig partial =
        new RegistryConfig(
            RegistryConfig.Mode.IN_CLUSTER, null, null, null, null, "ops", true, 300);

    assertThat(partial.withDefaults())
        .isEqualTo(
            new RegistryConfig(
                RegistryConfig.Mode.IN_CLUSTER,
                30003,
                "spectro-content",
                null,
                null,
                "ops",
                true,
                300));
  }

  @Test
  void anExternalRegistryGetsNoInClusterDefaults() {
    RegistryConfig external =
        new RegistryConfig(
            RegistryConfig.Mode.EXTERNAL,
            null,
            null,
            "https://r.example.com",
            null,
            null,
            false,
            null);

    assertThat(external.withDefaults())
        .isEqualTo(
            new RegistryConfig(
                RegistryConfig.Mode.EXTERNAL,
                null,
                "spectro-content",
                "https://r.example.com",
                null,
                null,
                false,
                null));
  }

  @Test
  void aRegistryWithoutAModeIsNotGuessed() {
    RegistryConfig noMode =
        new RegistryConfig(null, null, null, "https://r.example.com", null, null, false, null);

    assertThat(noMode.withDefaults()).isEqualTo(noMode);
  }

  @Test
  void listsAreCopiedAndKeepNullEntriesForTheValidatorToReport() {
    List<String> keys = new ArrayList<>(Arrays.asList("ssh-ed25519 AAAA", null));

    ClusterConfig config =
        new ClusterConfig(null, null, "10.10.0.100", null, keys, "/dev/sdb", null, null);
    keys.clear();

    assertThat(config.sshKeys()).containsExactly("ssh-ed25519 AAAA", null);
  }
}
