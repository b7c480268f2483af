package dev.easel.clusters.domain.config;

import dev.easel.clusters.domain.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A valid request to start from: three control-plane nodes on 10.10.0.0/24 and a worker on
 * 10.20.0.0/24, each with a 480 GB OS disk and a 1 TB {@code /dev/sdb}. Tests change one thing and
 * look at what is reported.
 */
final class ClusterRequests {

  static final long GB = 1_000_000_000L;

  static final String CA_PEM =
      "-----BEGIN CERTIFICATE-----\n"
          + "MIIBljCCATugAwIBAgISCUAZParTxBEhuIEKdTdCajKiMAoGCCqGSM49BAMCMCEx\n"
          + "HzAdBgNVBAMMFkVhc2VsIFRlc3QgUmVnaXN0cnkgQ0EwHhcNMjYxMTI2MTExMDU3\n"
          + "WhcNMzYxMTIzMTExMDU3WjAhMR8wHQYDVQQDDBZFYXNlbCBUZXN0IFJlZ2lzdHJ5\n"
          + "IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEu0PffMFlhCGI8mdYhdVtHnkO\n"
          + "N/M5ZJXJV+ActZa0INfzkKrCRY835O+sJYzp45aVF3gbuJ51rRzfCguNIIJY2aNT\n"
          + "MFEwHQYDVR0OBBYEFHbDlgWw/nn897g1Zy6uPFFZ2nQMMB8GA1UdIwQYMBaAFHbD\n"
          + "lgWw/nn897g1Zy6uPFFZ2nQMMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID\n"
          + "SQAwRgIhALpzGdqVet8MGF6Q4gmXpiJldkS42Sq+x7kiWVo4kIaTAiEA4AKxxaJd\n"
          + "wfCSMNBzAG1G0K7RxDK4ktUbVuAJbearWUM=\n"
          + "-----END CERTIFICATE-----\n";

  static final NodeFacts CP1 = node("cp-1", "10.10.0.11/24", "fe80::1/64", "127.0.0.1/8");
  static final NodeFacts CP2 = node("cp-2", "10.10.0.12/24");
  static final NodeFacts CP3 = node("cp-3", "10.10.0.13/24");
  static final NodeFacts W1 = node("w-1", "10.20.0.21/24");

  private ClusterRequests() {}

  static Config config() {
    return new Config();
  }

  /** A ready node that passed preflight, with an OS disk and a pool disk of its own. */
  static NodeFacts node(String hostname, String... addresses) {
    return new NodeFacts(
        idOf(hostname),
        hostname,
        NodeFacts.READY,
        true,
        List.of(),
        "baremetal",
        Arrays.asList(addresses),
        List.of(
            new NodeFacts.Disk(
                "/dev/sda", List.of("/dev/disk/by-id/ata-OS_" + hostname), 480 * GB, true),
            new NodeFacts.Disk(
                "/dev/sdb", List.of("/dev/disk/by-id/ata-POOL_" + hostname), 1000 * GB, false)));
  }

  static UUID idOf(String hostname) {
    return UUID.nameUUIDFromBytes(hostname.getBytes(StandardCharsets.UTF_8));
  }

  static NodeFacts inState(NodeFacts n, String state) {
    return new NodeFacts(
        n.id(),
        n.hostname(),
        state,
        n.preflightPassed(),
        n.preflightReasons(),
        n.platform(),
        n.addresses(),
        n.disks());
  }

  static NodeFacts failingPreflight(NodeFacts n, String... reasons) {
    return new NodeFacts(
        n.id(),
        n.hostname(),
        n.state(),
        false,
        Arrays.asList(reasons),
        n.platform(),
        n.addresses(),
        n.disks());
  }

  static NodeFacts onPlatform(NodeFacts n, String platform) {
    return new NodeFacts(
        n.id(),
        n.hostname(),
        n.state(),
        n.preflightPassed(),
        n.preflightReasons(),
        platform,
        n.addresses(),
        n.disks());
  }

  static NodeFacts withDisks(NodeFacts n, NodeFacts.Disk... disks) {
    return new NodeFacts(
        n.id(),
        n.hostname(),
        n.state(),
        n.preflightPassed(),
        n.preflightReasons(),
        n.platform(),
        n.addresses(),
        Arrays.asList(disks));
  }

  static NodePoolSpec controlPlane(NodeFacts... nodes) {
    return new NodePoolSpec(
        "control-plane-pool", NodePoolSpec.Role.CONTROL_PLANE, true, idsOf(nodes));
  }

  static NodePoolSpec workers(NodeFacts... nodes) {
    return new NodePoolSpec("worker-pool", NodePoolSpec.Role.WORKER, false, idsOf(nodes));
  }

  static List<UUID> idsOf(NodeFacts... nodes) {
    List<UUID> ids = new ArrayList<>();
    for (NodeFacts n : nodes) {
      ids.add(n.id());
    }
    return ids;
  }

  static Map<UUID, NodeFacts> known(NodeFacts... nodes) {
    Map<UUID, NodeFacts> map = new LinkedHashMap<>();
    for (NodeFacts n : nodes) {
      map.put(n.id(), n);
    }
    return map;
  }

  /** The problems of the config with the given pools, every node in them known as given. */
  static List<FieldProblem> problems(ClusterConfig config, NodePoolSpec... pools) {
    return problems(config, List.of(pools), known(CP1, CP2, CP3, W1));
  }

  static List<FieldProblem> problems(
      ClusterConfig config, List<NodePoolSpec> pools, Map<UUID, NodeFacts> nodes) {
    return ClusterValidation.validate(config, pools, nodes);
  }

  /** The three-node control plane with one worker, all as known by default. */
  static List<FieldProblem> problemsOfStandardPools(ClusterConfig config) {
    return problems(config, controlPlane(CP1, CP2, CP3), workers(W1));
  }

  /** A valid cluster config, changed one field at a time. */
  static final class Config {
    private String podCidr = "100.64.0.0/18";
    private String serviceCidr = "100.64.64.0/18";
    private String vip = "10.10.0.100";
    private List<String> ntpServers = List.of("0.pool.ntp.org", "10.10.0.1");
    private List<String> sshKeys = List.of(SshPublicKeyTest.ED25519_FROM_SSH_KEYGEN);
    private String storagePoolDevice = "/dev/sdb";
    private Integer csiPlacementCount = 1;
    private RegistryConfig registry = inClusterRegistry();

    static RegistryConfig inClusterRegistry() {
      return new RegistryConfig(
          RegistryConfig.Mode.IN_CLUSTER, 30003, "spectro-content", null, null, "admin", true, 100);
    }

    static RegistryConfig externalRegistry(String endpoint) {
      return new RegistryConfig(
          RegistryConfig.Mode.EXTERNAL,
          null,
          "spectro-content",
          endpoint,
          null,
          "robot",
          true,
          null);
    }

    Config podCidr(String value) {
      podCidr = value;
      return this;
    }

    Config serviceCidr(String value) {
      serviceCidr = value;
      return this;
    }

    Config vip(String value) {
      vip = value;
      return this;
    }

    Config ntpServers(String... values) {
      ntpServers = Arrays.asList(values);
      return this;
    }

    Config sshKeys(String... values) {
      sshKeys = Arrays.asList(values);
      return this;
    }

    Config storagePoolDevice(String value) {
      storagePoolDevice = value;
      return this;
    }

    Config csiPlacementCount(Integer value) {
      csiPlacementCount = value;
      return this;
    }

    Config registry(RegistryConfig value) {
      registry = value;
      return this;
    }

    ClusterConfig build() {
      return new ClusterConfig(
          podCidr,
          serviceCidr,
          vip,
          ntpServers,
          sshKeys,
          storagePoolDevice,
          csiPlacementCount,
          registry);
    }
  }
}
