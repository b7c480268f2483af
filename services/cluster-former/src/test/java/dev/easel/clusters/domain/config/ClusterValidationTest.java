package dev.easel.clusters.domain.config;

import static dev.easel.clusters.domain.config.ClusterRequests.CA_PEM;
import static dev.easel.clusters.domain.config.ClusterRequests.CP1;
import static dev.easel.clusters.domain.config.ClusterRequests.CP2;
import static dev.easel.clusters.domain.config.ClusterRequests.CP3;
import static dev.easel.clusters.domain.config.ClusterRequests.GB;
import static dev.easel.clusters.domain.config.ClusterRequests.W1;
import static dev.easel.clusters.domain.config.ClusterRequests.config;
import static dev.easel.clusters.domain.config.ClusterRequests.controlPlane;
import static dev.easel.clusters.domain.config.ClusterRequests.failingPreflight;
import static dev.easel.clusters.domain.config.ClusterRequests.idOf;
import static dev.easel.clusters.domain.config.ClusterRequests.idsOf;
import static dev.easel.clusters.domain.config.ClusterRequests.inState;
import static dev.easel.clusters.domain.config.ClusterRequests.known;
import static dev.easel.clusters.domain.config.ClusterRequests.node;
import static dev.easel.clusters.domain.config.ClusterRequests.onPlatform;
import static dev.easel.clusters.domain.config.ClusterRequests.problems;
import static dev.easel.clusters.domain.config.ClusterRequests.problemsOfStandardPools;
import static dev.easel.clusters.domain.config.ClusterRequests.withDisks;
import static dev.easel.clusters.domain.config.ClusterRequests.workers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.easel.clusters.domain.FieldProblem;
import dev.easel.clusters.domain.config.ClusterRequests.Config;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ClusterValidationTest {

  @Test
  void aValidThreeNodeControlPlaneWithAWorkerHasNoProblems() {
    assertThat(problemsOfStandardPools(config().build())).isEmpty();
  }

  @Test
  void aSingleNodeClusterWithEveryDefaultHasNoProblems() {
    ClusterConfig sparse =
        new ClusterConfig(
            null,
            null,
            "10.10.0.100",
            null,
            null,
            "/dev/sdb",
            null,
            new RegistryConfig(
                RegistryConfig.Mode.IN_CLUSTER, null, null, null, null, null, true, null));

    assertThat(problems(sparse, controlPlane(CP1))).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceEachAtItsField() {
    ClusterConfig bad =
        config()
            .podCidr("100.64.0.0/16")
            .vip("10.99.0.1")
            .ntpServers("bad_name")
            .sshKeys("ssh-dss AAAA")
            .storagePoolDevice("/dev/sdz")
            .csiPlacementCount(2)
            .registry(
                new RegistryConfig(
                    RegistryConfig.Mode.IN_CLUSTER, 80, null, null, null, "admin", false, 10))
            .build();
    NodeFacts busy = inState(CP2, "RESERVED");

    List<FieldProblem> problems =
        problems(bad, List.of(controlPlane(CP1, busy), workers(W1, W1)), known(CP1, busy, W1));

    assertThat(problems)
        .extracting(FieldProblem::field, FieldProblem::code)
        .contains(
            tuple("config.podCidr", "cidr-overlap"),
            tuple("config.serviceCidr", "cidr-overlap"),
            tuple("config.vip", "vip-outside-subnet"),
            tuple("config.ntpServers[0]", "invalid-ntp-server"),
            tuple("config.sshKeys[0]", "invalid-ssh-key"),
            tuple("config.storagePoolDevice", "device-missing"),
            tuple("config.csiPlacementCount", "invalid-csi-placement"),
            tuple("config.registry.port", "registry-port-out-of-range"),
            tuple("config.registry.storageGiB", "registry-storage-too-small"),
            tuple("config.registry.password", "registry-password-required"),
            tuple("nodePools[0].nodes[1]", "node-not-free"),
            tuple("nodePools[0].nodes", "invalid-control-plane-count"),
            tuple("nodePools[1].nodes[1]", "node-selected-twice"));
    assertThat(problems).filteredOn(p -> p.code().equals("device-missing")).hasSize(3);
  }

  @Test
  void badInputIsReportedAndNeverThrows() {
    ClusterConfig nulls = new ClusterConfig(null, null, null, null, null, null, null, null);
    List<UUID> ids = new ArrayList<>(Arrays.asList(null, CP1.id()));
    List<NodePoolSpec> pools =
        new ArrayList<>(
            Arrays.asList(null, new NodePoolSpec(null, null, false, ids), controlPlane(CP1)));

    assertThat(ClusterValidation.validate(null, null, null))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(tuple("config", "required"), tuple("nodePools", "required"));
    assertThat(ClusterValidation.validate(nulls, pools, null))
        .extracting(FieldProblem::field, FieldProblem::code)
        .containsExactly(
            tuple("config.vip", "required"),
            tuple("config.storagePoolDevice", "required"),
            tuple("config.registry.password", "registry-password-required"),
            tuple("nodePools[0]", "required"),
            tuple("nodePools[1].name", "required"),
            tuple("nodePools[1].role", "required"),
            tuple("nodePools[1].nodes[0]", "required"),
            tuple("nodePools[1].nodes[1]", "unknown-node"),
            tuple("nodePools[2].nodes[0]", "node-selected-twice"));
  }

  @Test
  void problemsReadAsFieldCodeAndMessage() {
    List<FieldProblem> problems = problemsOfStandardPools(config().vip("10.10.0.11").build());

    assertThat(problems)
        .extracting(FieldProblem::toString)
        .containsExactly(
            "config.vip [vip-is-node-address]: 10.10.0.11 is the address of node cp-1; the VIP"
                + " must be free");
  }

  @Nested
  class Networks {

    @Test
    void podCidrOverlappingTheServiceCidrIsRefusedOnBothFields() {
      List<FieldProblem> problems =
          problemsOfStandardPools(
              config().podCidr("100.64.0.0/16").serviceCidr("100.64.128.0/18").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.podCidr",
                  "cidr-overlap",
                  "100.64.0.0/16 overlaps the service network 100.64.128.0/18"),
              tuple(
                  "config.serviceCidr",
                  "cidr-overlap",
                  "100.64.128.0/18 overlaps the pod network 100.64.0.0/16"));
    }

    @Test
    void aCidrWithHostBitsIsRefusedWithTheNetworkItLiesIn() {
      List<FieldProblem> problems =
          problemsOfStandardPools(config().podCidr("100.64.0.1/18").build());

      assertThat(problems)
          .singleElement()
          .returns("config.podCidr", FieldProblem::field)
          .returns("invalid-cidr", FieldProblem::code)
          .satisfies(p -> assertThat(p.message()).contains("host bits", "100.64.0.0/18"));
    }

    @Test
    void aMalformedCidrIsRefusedAtItsField() {
      List<FieldProblem> problems =
          problemsOfStandardPools(
              config().serviceCidr("100.64.64.0").podCidr("100.64.0.0/33").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(
              tuple("config.podCidr", "invalid-cidr"), tuple("config.serviceCidr", "invalid-cidr"));
    }

    @Test
    void aPodCidrOverlappingTheNodesNetworkNamesTheNodesOnIt() {
      List<FieldProblem> problems =
          problemsOfStandardPools(config().podCidr("10.10.0.0/16").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.podCidr",
                  "cidr-overlap",
                  "10.10.0.0/16 overlaps 10.10.0.0/24, the network of node(s) cp-1, cp-2, cp-3"),
              tuple("config.podCidr", "cidr-overlap", "10.10.0.0/16 contains the VIP 10.10.0.100"));
    }

    @Test
    void aServiceCidrInsideAWorkersNetworkIsRefused() {
      List<FieldProblem> problems =
          problemsOfStandardPools(config().serviceCidr("10.20.0.128/28").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.serviceCidr",
                  "cidr-overlap",
                  "10.20.0.128/28 overlaps 10.20.0.0/24, the network of node(s) w-1"));
    }

    @Test
    void aServiceCidrContainingTheVipIsRefused() {
      List<FieldProblem> problems =
          problems(
              config().vip("10.10.0.100").serviceCidr("10.10.0.96/28").build(),
              List.of(controlPlane(CP1)),
              known(withAddresses(CP1, "10.10.0.11/25")));

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .contains(
              tuple(
                  "config.serviceCidr",
                  "cidr-overlap",
                  "10.10.0.96/28 contains the VIP 10.10.0.100"));
    }

    @Test
    void theWholeAddressSpaceAsPodCidrOverlapsEverything() {
      List<FieldProblem> problems = problemsOfStandardPools(config().podCidr("0.0.0.0/0").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.podCidr",
                  "cidr-overlap",
                  "0.0.0.0/0 overlaps the service network 100.64.64.0/18"),
              tuple(
                  "config.serviceCidr",
                  "cidr-overlap",
                  "100.64.64.0/18 overlaps the pod network 0.0.0.0/0"),
              tuple(
                  "config.podCidr",
                  "cidr-overlap",
                  "0.0.0.0/0 overlaps 10.10.0.0/24, the network of node(s) cp-1, cp-2, cp-3"),
              tuple(
                  "config.podCidr",
                  "cidr-overlap",
                  "0.0.0.0/0 overlaps 10.20.0.0/24, the network of node(s) w-1"),
              tuple("config.podCidr", "cidr-overlap", "0.0.0.0/0 contains the VIP 10.10.0.100"));
    }

    @Test
    void aServiceNetworkLargerThanASlash12OrSmallerThanASlash28IsRefused() {
      assertThat(problemsOfStandardPools(config().serviceCidr("172.0.0.0/11").build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.serviceCidr", "cidr-size"));
      assertThat(problemsOfStandardPools(config().serviceCidr("172.16.0.0/29").build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.serviceCidr", "cidr-size"));
      assertThat(problemsOfStandardPools(config().serviceCidr("172.16.0.0/12").build())).isEmpty();
      assertThat(problemsOfStandardPools(config().serviceCidr("172.16.0.0/28").build())).isEmpty();
    }

    @Test
    void aBlankNetworkIsRequiredButANullOneTakesTheDefault() {
      assertThat(problemsOfStandardPools(config().podCidr(" ").build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.podCidr", "required"));
      assertThat(problemsOfStandardPools(config().podCidr(null).serviceCidr(null).build()))
          .isEmpty();
    }
  }

  @Nested
  class Vip {

    @Test
    void aVipOutsideTheControlPlaneSubnetIsRefusedPerNode() {
      List<FieldProblem> problems = problemsOfStandardPools(config().vip("10.20.0.100").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.vip",
                  "vip-outside-subnet",
                  "10.20.0.100 is not in a subnet of control-plane node cp-1 (10.10.0.11/24)"),
              tuple(
                  "config.vip",
                  "vip-outside-subnet",
                  "10.20.0.100 is not in a subnet of control-plane node cp-2 (10.10.0.12/24)"),
              tuple(
                  "config.vip",
                  "vip-outside-subnet",
                  "10.20.0.100 is not in a subnet of control-plane node cp-3 (10.10.0.13/24)"));
    }

    @Test
    void everyControlPlaneNodeMustShareTheVipSubnet() {
      NodeFacts elsewhere = node("cp-3", "10.30.0.13/24");

      List<FieldProblem> problems =
          problems(
              config().build(),
              List.of(controlPlane(CP1, CP2, elsewhere)),
              known(CP1, CP2, elsewhere));

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.vip",
                  "vip-outside-subnet",
                  "10.10.0.100 is not in a subnet of control-plane node cp-3 (10.30.0.13/24)"));
    }

    @Test
    void workersNeedNotShareTheVipSubnet() {
      assertThat(W1.addresses()).containsExactly("10.20.0.21/24");
      assertThat(problemsOfStandardPools(config().build())).isEmpty();
    }

    @Test
    void aVipThatIsTheAddressOfAnyNodeIsRefused() {
      assertThat(problemsOfStandardPools(config().vip("10.10.0.12").build()))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "vip-is-node-address",
                  "10.10.0.12 is the address of node cp-2; the VIP must be free"));
      assertThat(problemsOfStandardPools(config().vip("10.20.0.21").build()))
          .extracting(FieldProblem::code)
          .contains("vip-is-node-address", "vip-outside-subnet");
    }

    @Test
    void aVipWrittenAsASlash32IsRefusedWithTheAddressToGive() {
      assertThat(problemsOfStandardPools(config().vip("10.10.0.100/32").build()))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.vip",
                  "invalid-vip",
                  "give the VIP as an address without a prefix length, such as 10.10.0.100"));
    }

    @Test
    void aControlPlaneNodeWithASlash32AddressHasNoSubnetToShareWithTheVip() {
      NodeFacts pointToPoint = node("cp-1", "10.10.0.11/32");

      assertThat(
              problems(
                  config().vip("10.10.0.100").build(),
                  List.of(controlPlane(pointToPoint)),
                  known(pointToPoint)))
          .extracting(FieldProblem::code)
          .containsExactly("vip-outside-subnet");
    }

    @Test
    void theNetworkAndBroadcastAddressesCannotBeTheVip() {
      assertThat(problemsOfStandardPools(config().vip("10.10.0.0").build()))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple("vip-is-reserved-address", "10.10.0.0 is the network address of 10.10.0.0/24"));
      assertThat(problemsOfStandardPools(config().vip("10.10.0.255").build()))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "vip-is-reserved-address",
                  "10.10.0.255 is the broadcast address of 10.10.0.0/24"));
    }

    @Test
    void aMissingOrMalformedVipIsRefused() {
      assertThat(problemsOfStandardPools(config().vip(null).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.vip", "required"));
      assertThat(problemsOfStandardPools(config().vip("10.10.0.300").build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.vip", "invalid-vip"));
      assertThat(problemsOfStandardPools(config().vip("kube.example.com").build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.vip", "invalid-vip"));
    }

    @Test
    void ipv6AndLoopbackAddressesOfANodeDoNotCount() {
      NodeFacts v6only = node("cp-1", "fd00::11/64", "127.0.0.1/8");

      assertThat(problems(config().build(), List.of(controlPlane(v6only)), known(v6only)))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple("vip-outside-subnet", "control-plane node cp-1 reports no IPv4 address"));
    }
  }

  @Nested
  class NtpServers {

    @Test
    void noNtpServersAreNeeded() {
      assertThat(problemsOfStandardPools(config().ntpServers().build())).isEmpty();
    }

    @Test
    void eachBadNtpServerIsReportedAtItsIndex() {
      List<FieldProblem> problems =
          problemsOfStandardPools(
              config().ntpServers("pool.ntp.org", "ntp_1.local", null, "10.0.0.256").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(
              tuple("config.ntpServers[1]", "invalid-ntp-server"),
              tuple("config.ntpServers[2]", "invalid-ntp-server"),
              tuple("config.ntpServers[3]", "invalid-ntp-server"));
    }

    @Test
    void aServerGivenTwiceIsReportedAtTheRepeat() {
      List<FieldProblem> problems =
          problemsOfStandardPools(
              config().ntpServers("pool.ntp.org", "10.0.0.1", "Pool.NTP.org.").build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.ntpServers[2]",
                  "duplicate-ntp-server",
                  "Pool.NTP.org is already given at config.ntpServers[0]"));
    }

    @Test
    void atMostEightServers() {
      String[] eight = new String[8];
      for (int i = 0; i < 8; i++) {
        eight[i] = i + ".pool.ntp.org";
      }
      String[] nine = Arrays.copyOf(eight, 9);
      nine[8] = "time.example.com";

      assertThat(problemsOfStandardPools(config().ntpServers(eight).build())).isEmpty();
      assertThat(problemsOfStandardPools(config().ntpServers(nine).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.ntpServers", "too-many-ntp-servers"));
    }
  }

  @Nested
  class SshKeys {

    @Test
    void noSshKeyIsNeeded() {
      assertThat(problemsOfStandardPools(config().sshKeys().build())).isEmpty();
    }

    @Test
    void eachBadKeyIsReportedAtItsIndexWithTheReason() {
      String good = OpenSshKeys.line(OpenSshKeys.ed25519(), "ann");
      String weak = OpenSshKeys.line(OpenSshKeys.rsa(1024), "old");

      List<FieldProblem> problems =
          problemsOfStandardPools(
              config()
                  .sshKeys(good, weak, SshPublicKeyTest.DSA_FROM_SSH_KEYGEN, "ssh-ed25519 AAAA")
                  .build());

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(
              tuple("config.sshKeys[1]", "invalid-ssh-key"),
              tuple("config.sshKeys[2]", "invalid-ssh-key"),
              tuple("config.sshKeys[3]", "invalid-ssh-key"));
      assertThat(problems.get(0).message()).contains("1024 bits");
      assertThat(problems.get(1).message()).contains("DSA");
      assertThat(problems.get(2).message()).contains("truncated");
    }

    @Test
    void theSameKeyTwiceIsReportedEvenWithAnotherComment() {
      String key = SshPublicKeyTest.ED25519_FROM_SSH_KEYGEN;
      String sameKeyOtherComment = key.substring(0, key.lastIndexOf(' ')) + " ann@desktop";

      assertThat(problemsOfStandardPools(config().sshKeys(key, sameKeyOtherComment).build()))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.sshKeys[1]",
                  "duplicate-ssh-key",
                  "the key SHA256:ggoauQCecPD2IvLqaWHVaij5mm0yG8ZqNaf2CT5M0qw is already given at"
                      + " config.sshKeys[0]"));
    }
  }

  @Nested
  class StoragePool {

    @Test
    void aDeviceMissingOnANodeIsReportedWithTheNodesNameAndDisks() {
      NodeFacts oneDisk =
          withDisks(CP2, new NodeFacts.Disk("/dev/sda", List.of(), 2000 * GB, true));

      List<FieldProblem> problems =
          problems(
              config().build(),
              List.of(controlPlane(CP1, oneDisk, CP3), workers(W1)),
              known(CP1, oneDisk, CP3, W1));

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "config.storagePoolDevice",
                  "device-missing",
                  "node cp-2 has no disk /dev/sdb; it has /dev/sda (OS disk, 2000 GB)"));
    }

    @Test
    void theOsDiskIsRefusedOnEveryNode() {
      List<FieldProblem> problems =
          problemsOfStandardPools(config().storagePoolDevice("/dev/sda").build());

      assertThat(problems)
          .extracting(FieldProblem::code)
          .containsExactly(
              "device-is-os-disk", "device-is-os-disk", "device-is-os-disk", "device-is-os-disk");
      assertThat(problems.get(0).message())
          .isEqualTo("on node cp-1, /dev/sda is the OS disk; the storage pool disk is wiped");
    }

    @Test
    void aDiskUnder500GbIsRefusedButExactly500GbIsEnough() {
      NodeFacts small =
          withDisks(
              CP1,
              new NodeFacts.Disk("/dev/sda", List.of(), 480 * GB, true),
              new NodeFacts.Disk("/dev/sdb", List.of(), 500 * GB - 1, false));
      NodeFacts exact =
          withDisks(
              CP1,
              new NodeFacts.Disk("/dev/sda", List.of(), 480 * GB, true),
              new NodeFacts.Disk("/dev/sdb", List.of(), 500 * GB, false));

      assertThat(problems(config().build(), List.of(controlPlane(small)), known(small)))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "device-too-small",
                  "on node cp-1, /dev/sdb has 499 GB; the storage pool needs at least 500 GB"));
      assertThat(problems(config().build(), List.of(controlPlane(exact)), known(exact))).isEmpty();
    }

    @Test
    void aDeviceIsFoundByAnyOfItsAliases() {
      ClusterConfig byId = config().storagePoolDevice("/dev/disk/by-id/ata-POOL_cp-1").build();

      assertThat(problems(byId, List.of(controlPlane(CP1)), known(CP1))).isEmpty();
      assertThat(problems(byId, List.of(controlPlane(CP1, CP2, CP3)), known(CP1, CP2, CP3)))
          .extracting(FieldProblem::code)
          .containsExactly("device-missing", "device-missing");
    }

    @Test
    void theDeviceIsRequiredAndMustBeADevicePath() {
      assertThat(problemsOfStandardPools(config().storagePoolDevice(null).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.storagePoolDevice", "required"));
      assertThat(problemsOfStandardPools(config().storagePoolDevice("sdb").build()))
          .extracting(FieldProblem::code)
          .containsExactly("invalid-device");
      assertThat(problemsOfStandardPools(config().storagePoolDevice("/dev/../etc/passwd").build()))
          .extracting(FieldProblem::code)
          .containsExactly("invalid-device");
      assertThat(problemsOfStandardPools(config().storagePoolDevice("/dev/sdb; rm -rf /").build()))
          .extracting(FieldProblem::code)
          .containsExactly("invalid-device");
    }
  }

  @Nested
  class CsiPlacement {

    @Test
    void onlyOneOrThreeCopies() {
      for (int count : new int[] {0, 2, 4, -1}) {
        assertThat(problemsOfStandardPools(config().csiPlacementCount(count).build()))
            .extracting(FieldProblem::field, FieldProblem::code)
            .containsExactly(tuple("config.csiPlacementCount", "invalid-csi-placement"));
      }
      assertThat(problemsOfStandardPools(config().csiPlacementCount(3).build())).isEmpty();
    }

    @Test
    void threeCopiesNeedThreeNodes() {
      ClusterConfig three = config().csiPlacementCount(3).build();

      assertThat(problems(three, controlPlane(CP1)))
          .extracting(FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "invalid-csi-placement",
                  "3 copies of each volume need 3 nodes; the cluster has 1"));
      assertThat(problems(three, controlPlane(CP1), workers(W1)))
          .extracting(FieldProblem::code)
          .containsExactly("invalid-csi-placement");
      assertThat(problems(three, controlPlane(CP1), workers(W1, CP2))).isEmpty();
    }
  }

  @Nested
  class Registry {

    @Test
    void anInClusterRegistryReportsEveryBadFieldAtOnce() {
      RegistryConfig bad =
          new RegistryConfig(
              RegistryConfig.Mode.IN_CLUSTER, 32768, "Spectro Content", null, null, " ", false, 99);

      assertThat(problemsOfStandardPools(config().registry(bad).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(
              tuple("config.registry.basePath", "registry-invalid-base-path"),
              tuple("config.registry.port", "registry-port-out-of-range"),
              tuple("config.registry.storageGiB", "registry-storage-too-small"),
              tuple("config.registry.username", "registry-username-required"),
              tuple("config.registry.password", "registry-password-required"));
    }

    @Test
    void anInClusterRegistryIsServedOnTheNodePortRange() {
      for (int port : new int[] {30000, 32767}) {
        assertThat(problemsOfStandardPools(config().registry(inClusterOnPort(port)).build()))
            .isEmpty();
      }
      for (int port : new int[] {29999, 443, 5000}) {
        assertThat(problemsOfStandardPools(config().registry(inClusterOnPort(port)).build()))
            .extracting(FieldProblem::code)
            .containsExactly("registry-port-out-of-range");
      }
    }

    @Test
    void withoutARegistryTheInClusterDefaultsApplyAndAskForAPassword() {
      assertThat(problemsOfStandardPools(config().registry(null).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.registry.password", "registry-password-required"));
    }

    @Test
    void anExternalRegistryTakesAnHttpOrHttpsUrlWithAHost() {
      for (String endpoint :
          new String[] {
            "https://registry.example.com",
            "https://registry.example.com:5000/",
            "http://10.0.0.5:5000",
            "HTTPS://Registry.Example.com/spectro"
          }) {
        assertThat(problemsOfStandardPools(config().registry(external(endpoint)).build()))
            .as(endpoint)
            .isEmpty();
      }
      for (String endpoint :
          new String[] {
            "registry.example.com",
            "ftp://registry.example.com",
            "https://",
            "https://bad_host.example.com",
            "https://user:secret@registry.example.com",
            "https://registry.example.com/?x=1",
            "https://registry .example.com"
          }) {
        assertThat(problemsOfStandardPools(config().registry(external(endpoint)).build()))
            .as(endpoint)
            .extracting(FieldProblem::field, FieldProblem::code)
            .containsExactly(tuple("config.registry.endpoint", "registry-invalid-endpoint"));
      }
    }

    @Test
    void anExternalRegistryNeedsAnEndpoint() {
      assertThat(problemsOfStandardPools(config().registry(external(null)).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.registry.endpoint", "registry-endpoint-required"));
    }

    @Test
    void anExternalRegistryTakesAUserNameAndPasswordTogetherOrNeither() {
      String endpoint = "https://registry.example.com";
      RegistryConfig anonymous =
          new RegistryConfig(
              RegistryConfig.Mode.EXTERNAL, null, null, endpoint, null, null, false, null);
      RegistryConfig noPassword =
          new RegistryConfig(
              RegistryConfig.Mode.EXTERNAL, null, null, endpoint, null, "robot", false, null);
      RegistryConfig noUser =
          new RegistryConfig(
              RegistryConfig.Mode.EXTERNAL, null, null, endpoint, null, "", true, null);

      assertThat(problemsOfStandardPools(config().registry(anonymous).build())).isEmpty();
      assertThat(problemsOfStandardPools(config().registry(noPassword).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.registry.password", "registry-credentials-incomplete"));
      assertThat(problemsOfStandardPools(config().registry(noUser).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.registry.username", "registry-credentials-incomplete"));
    }

    @Test
    void anExternalRegistryCaMustBeAReadablePemCertificate() {
      assertThat(problemsOfStandardPools(config().registry(externalWithCa(CA_PEM)).build()))
          .isEmpty();
      String corrupted = CA_PEM.replace("MIIBljCCATug", "MIIBljCCAXXX");
      for (String ca : new String[] {"not a certificate", corrupted}) {
        assertThat(problemsOfStandardPools(config().registry(externalWithCa(ca)).build()))
            .extracting(FieldProblem::field, FieldProblem::code)
            .containsExactly(
                tuple("config.registry.caCertificate", "registry-invalid-ca-certificate"));
      }
    }

    @Test
    void anExternalRegistryIgnoresTheInClusterFields() {
      RegistryConfig external =
          new RegistryConfig(
              RegistryConfig.Mode.EXTERNAL,
              null,
              null,
              "https://registry.example.com",
              null,
              null,
              false,
              1);

      assertThat(problemsOfStandardPools(config().registry(external).build())).isEmpty();
    }

    @Test
    void aRegistryNeedsAMode() {
      RegistryConfig noMode = new RegistryConfig(null, 30003, null, null, null, "admin", true, 100);

      assertThat(problemsOfStandardPools(config().registry(noMode).build()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("config.registry.mode", "required"));
    }

    private RegistryConfig inClusterOnPort(int port) {
      return new RegistryConfig(
          RegistryConfig.Mode.IN_CLUSTER, port, "spectro-content", null, null, "admin", true, 250);
    }

    private RegistryConfig external(String endpoint) {
      return Config.externalRegistry(endpoint);
    }

    private RegistryConfig externalWithCa(String ca) {
      return new RegistryConfig(
          RegistryConfig.Mode.EXTERNAL,
          null,
          null,
          "https://registry.example.com",
          ca,
          "robot",
          true,
          null);
    }
  }

  @Nested
  class ControlPlane {

    @Test
    void oneThreeOrFiveControlPlaneNodesAreAccepted() {
      NodeFacts cp4 = node("cp-4", "10.10.0.14/24");
      NodeFacts cp5 = node("cp-5", "10.10.0.15/24");

      assertThat(problems(config().build(), controlPlane(CP1))).isEmpty();
      assertThat(problems(config().build(), controlPlane(CP1, CP2, CP3))).isEmpty();
      assertThat(
              problems(
                  config().build(),
                  List.of(controlPlane(CP1, CP2, CP3, cp4, cp5)),
                  known(CP1, CP2, CP3, cp4, cp5)))
          .isEmpty();
    }

    @Test
    void twoOrFourControlPlaneNodesAreRefused() {
      NodeFacts cp4 = node("cp-4", "10.10.0.14/24");

      assertThat(problems(config().build(), controlPlane(CP1, CP2), workers(W1)))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "nodePools[0].nodes",
                  "invalid-control-plane-count",
                  "the control plane has 2 nodes; it needs 1, or an odd number of 3 or more, so"
                      + " that etcd keeps a majority"));
      assertThat(
              problems(
                  config().build(),
                  List.of(controlPlane(CP1, CP2, CP3, cp4)),
                  known(CP1, CP2, CP3, cp4)))
          .extracting(FieldProblem::code)
          .containsExactly("invalid-control-plane-count");
    }

    @Test
    void exactlyOneControlPlanePool() {
      NodePoolSpec second =
          new NodePoolSpec(
              "control-plane-b", NodePoolSpec.Role.CONTROL_PLANE, true, idsOf(CP2, CP3));

      assertThat(problems(config().build(), workers(W1)))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("nodePools", "control-plane-pool-required"));
      assertThat(problems(config().build(), controlPlane(CP1), second))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("nodePools[1].role", "control-plane-pool-duplicate"));
    }

    @Test
    void theControlPlaneMustAllowWorkloadsWhenThereAreNoWorkers() {
      NodePoolSpec dedicated =
          new NodePoolSpec(
              "control-plane-pool", NodePoolSpec.Role.CONTROL_PLANE, false, idsOf(CP1));

      assertThat(problems(config().build(), dedicated))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("nodePools[0].allowWorkloads", "no-workload-nodes"));
      assertThat(problems(config().build(), dedicated, workers(W1))).isEmpty();
    }

    @Test
    void poolNamesAreUniqueDnsLabels() {
      NodePoolSpec badName =
          new NodePoolSpec("Worker_Pool", NodePoolSpec.Role.WORKER, false, idsOf(W1));
      NodePoolSpec sameName =
          new NodePoolSpec("control-plane-pool", NodePoolSpec.Role.WORKER, false, idsOf(W1));

      assertThat(problems(config().build(), controlPlane(CP1), badName))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("nodePools[1].name", "invalid-pool-name"));
      assertThat(problems(config().build(), controlPlane(CP1), sameName))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "nodePools[1].name",
                  "duplicate-pool-name",
                  "the name 'control-plane-pool' is already used by nodePools[0]"));
    }

    @Test
    void aPoolWithoutNodesIsRefused() {
      assertThat(problems(config().build(), controlPlane(CP1), workers()))
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(tuple("nodePools[1].nodes", "empty-pool"));
    }
  }

  @Nested
  class Nodes {

    @Test
    void anUnknownNodeIsReportedAtItsPlace() {
      UUID stranger = idOf("stranger");
      NodePoolSpec withStranger =
          new NodePoolSpec("worker-pool", NodePoolSpec.Role.WORKER, false, List.of(stranger));

      assertThat(problems(config().build(), controlPlane(CP1), withStranger))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple("nodePools[1].nodes[0]", "unknown-node", "no node " + stranger + " is known"));
    }

    @Test
    void onlyReadyNodesAreFree() {
      for (String state : new String[] {"RESERVED", "IN_CLUSTER", "UNREACHABLE"}) {
        NodeFacts taken = inState(W1, state);

        assertThat(
                problems(
                    config().build(),
                    List.of(controlPlane(CP1), workers(taken)),
                    known(CP1, taken)))
            .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
            .containsExactly(
                tuple(
                    "nodePools[1].nodes[0]",
                    "node-not-free",
                    "node w-1 is " + state + "; only READY nodes can be taken into a cluster"));
      }
    }

    @Test
    void aNodeThatFailedPreflightIsReportedWithTheReasons() {
      NodeFacts weak = failingPreflight(CP1, "8 CPUs required, 4 found", "UEFI boot required");

      assertThat(problems(config().build(), List.of(controlPlane(weak)), known(weak)))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "nodePools[0].nodes[0]",
                  "preflight-failed",
                  "node cp-1 failed preflight: 8 CPUs required, 4 found; UEFI boot required"));
    }

    @Test
    void aNodeSelectedInTwoPoolsIsReportedAtTheSecond() {
      assertThat(problems(config().build(), controlPlane(CP1, CP2, CP3), workers(W1, CP2)))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "nodePools[1].nodes[1]",
                  "node-selected-twice",
                  "node cp-2 is already selected at nodePools[0].nodes[1]"));
    }

    @Test
    void aNodeSelectedTwiceInOnePoolCountsOnce() {
      List<FieldProblem> problems = problems(config().build(), controlPlane(CP1, CP1, CP1));

      assertThat(problems)
          .extracting(FieldProblem::field, FieldProblem::code)
          .containsExactly(
              tuple("nodePools[0].nodes[1]", "node-selected-twice"),
              tuple("nodePools[0].nodes[2]", "node-selected-twice"));
    }
  }

  @Nested
  class Platform {

    @Test
    void nodesOnMoreThanOnePlatformAreRefused() {
      NodeFacts vm = onPlatform(W1, "vsphere");

      assertThat(
              problems(
                  config().build(),
                  List.of(controlPlane(CP1, CP2, CP3), workers(vm)),
                  known(CP1, CP2, CP3, vm)))
          .extracting(FieldProblem::field, FieldProblem::code, FieldProblem::message)
          .containsExactly(
              tuple(
                  "nodePools",
                  "mixed-platforms",
                  "a cluster's nodes run on one platform; these run on baremetal (cp-1, cp-2,"
                      + " cp-3), vsphere (w-1)"));
    }

    @Test
    void thePlatformOfTheSelectedNodesIsExposedForTheProfileCheck() {
      NodeFacts maas = onPlatform(CP1, "MAAS");
      NodeFacts vm = onPlatform(W1, "vsphere");

      assertThat(
              ClusterValidation.platformOf(
                  List.of(controlPlane(CP1, CP2, CP3), workers(W1)), known(CP1, CP2, CP3, W1)))
          .contains("baremetal");
      assertThat(ClusterValidation.platformOf(List.of(controlPlane(maas)), known(maas)))
          .contains("maas");
      assertThat(
              ClusterValidation.platformOf(List.of(controlPlane(CP1), workers(vm)), known(CP1, vm)))
          .isEmpty();
      assertThat(ClusterValidation.platformOf(List.of(controlPlane(CP1)), known())).isEmpty();
      assertThat(ClusterValidation.platformOf(null, null)).isEmpty();
    }
  }

  static NodeFacts withAddresses(NodeFacts n, String... addresses) {
    return new NodeFacts(
        n.id(),
        n.hostname(),
        n.state(),
        n.preflightPassed(),
        n.preflightReasons(),
        n.platform(),
        Arrays.asList(addresses),
        n.disks());
  }
}
