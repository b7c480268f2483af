package dev.easel.clusters.domain.config;

import dev.easel.clusters.domain.FieldProblem;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules a cluster request meets before any node is reserved: its networks, VIP, NTP servers,
 * SSH keys, storage pool disk, CSI placement and registry, and its node pools against what node
 * discovery knows of the selected nodes. Every problem is reported at once, each at its field, so a
 * request can be fixed in one round trip; bad input never throws.
 */
public final class ClusterValidation {

  /** The storage pool disk the appliance asks for: 500 GB, in decimal units as disks are sold. */
  public static final long MIN_STORAGE_POOL_BYTES = 500L * 1_000_000_000L;

  /** Kubernetes' default NodePort range, which the in-cluster registry is served on. */
  public static final int MIN_NODE_PORT = 30000;

  public static final int MAX_NODE_PORT = 32767;

  /** kube-apiserver refuses an IPv4 service network larger than a /12. */
  public static final int MIN_SERVICE_PREFIX = 12;

  /** kubeadm gives cluster DNS the tenth address of the service network, so a /28 at least. */
  public static final int MAX_SERVICE_PREFIX = 28;

  /** Pool names end up in host names and labels: DNS labels. */
  public static final Pattern POOL_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** Repository path components as the OCI distribution spec allows them, joined by '/'. */
  private static final Pattern BASE_PATH =
      Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");

  private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_.:+@=/-]+");

  private static final Ipv4Cidr LOOPBACK = new Ipv4Cidr(0x7f000000, 8);

  private static final String UNKNOWN_PLATFORM = "unknown";

  private ClusterValidation() {}

  /**
   * Every problem of the request; empty when the cluster may be formed. The config is checked as
   * {@link ClusterConfig#withDefaults()} completes it.
   *
   * @param config the cluster settings
   * @param pools the node pools, with selectors already resolved to node ids
   * @param nodes what node discovery knows of the selected nodes, by id; a node missing here is
   *     unknown
   */
  public static List<FieldProblem> validate(
      ClusterConfig config, List<NodePoolSpec> pools, Map<UUID, NodeFacts> nodes) {
    List<FieldProblem> problems = new ArrayList<>();
    List<FieldProblem> poolProblems = new ArrayList<>();
    Selection selection = checkPools(pools, nodes == null ? Map.of() : nodes, poolProblems);
    if (config == null) {
      problems.add(new FieldProblem("config", "required", "the cluster config is required"));
    } else {
      ClusterConfig c = config.withDefaults();
      checkNetworks(c, selection, problems);
      checkVip(c.vip(), selection, problems);
      checkNtpServers(c.ntpServers(), problems);
      checkSshKeys(c.sshKeys(), problems);
      checkStoragePool(c.storagePoolDevice(), selection, problems);
      checkCsiPlacement(c.csiPlacementCount(), selection, problems);
      checkRegistry(c.registry(), problems);
    }
    problems.addAll(poolProblems);
    checkPlatform(selection, problems);
    return List.copyOf(problems);
  }

  /**
   * The one platform every known selected node runs on, such as {@code baremetal}; empty when the
   * nodes are unknown, report no platform, or run on more than one. The caller compares it with the
   * profile's cloud type.
   */
  public static Optional<String> platformOf(List<NodePoolSpec> pools, Map<UUID, NodeFacts> nodes) {
    Selection selection = checkPools(pools, nodes == null ? Map.of() : nodes, new ArrayList<>());
    Map<String, List<String>> platforms = platforms(selection);
    if (platforms.size() != 1 || platforms.containsKey(UNKNOWN_PLATFORM)) {
      return Optional.empty();
    }
    return Optional.of(platforms.keySet().iterator().next());
  }

  // ---------------------------------------------------------------------------------------------
  // Node pools and the nodes they select
  // ---------------------------------------------------------------------------------------------

  /** The nodes a request selects, each once, in the order first selected. */
  private record Selection(
      Map<UUID, NodeFacts> known, List<NodeFacts> controlPlane, int selectedCount) {}

  private static Selection checkPools(
      List<NodePoolSpec> pools, Map<UUID, NodeFacts> nodes, List<FieldProblem> problems) {
    Map<UUID, NodeFacts> known = new LinkedHashMap<>();
    Map<UUID, NodeFacts> controlPlane = new LinkedHashMap<>();
    if (pools == null || pools.isEmpty()) {
      problems.add(
          new FieldProblem("nodePools", "required", "at least a control-plane pool is required"));
      return new Selection(known, List.of(), 0);
    }
    Map<UUID, String> firstSelectedAt = new HashMap<>();
    Map<String, Integer> names = new HashMap<>();
    List<Integer> controlPlanePools = new ArrayList<>();
    boolean workloadsAllowed = false;
    for (int i = 0; i < pools.size(); i++) {
      String field = "nodePools[" + i + "]";
      NodePoolSpec pool = pools.get(i);
      if (pool == null) {
        problems.add(new FieldProblem(field, "required", "a node pool is required here"));
        continue;
      }
      checkPoolName(pool.name(), field, i, names, problems);
      if (pool.role() == null) {
        problems.add(
            new FieldProblem(
                field + ".role", "required", "a role is required: CONTROL_PLANE or WORKER"));
      } else if (pool.role() == NodePoolSpec.Role.CONTROL_PLANE) {
        controlPlanePools.add(i);
        workloadsAllowed |= pool.allowWorkloads() && !pool.nodeIds().isEmpty();
      } else {
        workloadsAllowed |= !pool.nodeIds().isEmpty();
      }
      if (pool.nodeIds().isEmpty()) {
        problems.add(
            new FieldProblem(field + ".nodes", "empty-pool", "a pool needs at least one node"));
      }
      for (int j = 0; j < pool.nodeIds().size(); j++) {
        String nodeField = field + ".nodes[" + j + "]";
        UUID id = pool.nodeIds().get(j);
        if (id == null) {
          problems.add(new FieldProblem(nodeField, "required", "a node id is required here"));
          continue;
        }
        String earlier = firstSelectedAt.putIfAbsent(id, nodeField);
        if (earlier != null) {
          problems.add(
              new FieldProblem(
                  nodeField,
                  "node-selected-twice",
                  "node " + labelOf(id, nodes) + " is already selected at " + earlier));
          continue;
        }
        NodeFacts facts = nodes.get(id);
        if (facts == null) {
          problems.add(new FieldProblem(nodeField, "unknown-node", "no node " + id + " is known"));
          continue;
        }
        known.put(id, facts);
        if (pool.role() == NodePoolSpec.Role.CONTROL_PLANE) {
          controlPlane.put(id, facts);
        }
        checkNode(facts, nodeField, problems);
      }
    }
    checkControlPlane(pools, controlPlanePools, workloadsAllowed, problems);
    return new Selection(known, List.copyOf(controlPlane.values()), firstSelectedAt.size());
  }

  private static void checkPoolName(
      String name,
      String field,
      int index,
      Map<String, Integer> names,
      List<FieldProblem> problems) {
    if (Texts.blank(name)) {
      problems.add(new FieldProblem(field + ".name", "required", "a pool name is required"));
    } else if (!POOL_NAME.matcher(name).matches()) {
      problems.add(
          new FieldProblem(
              field + ".name",
              "invalid-pool-name",
              Texts.quote(name)
                  + " is not a pool name: lower-case letters, digits and '-', starting and ending"
                  + " with a letter or digit, at most 63 characters"));
    } else {
      Integer earlier = names.putIfAbsent(name, index);
      if (earlier != null) {
        problems.add(
            new FieldProblem(
                field + ".name",
                "duplicate-pool-name",
                "the name '" + name + "' is already used by nodePools[" + earlier + "]"));
      }
    }
  }

  private static void checkNode(NodeFacts node, String field, List<FieldProblem> problems) {
    if (!node.isFree()) {
      problems.add(
          new FieldProblem(
              field,
              "node-not-free",
              "node "
                  + node.label()
                  + " is "
                  + node.state()
                  + "; only "
                  + NodeFacts.READY
                  + " nodes can be taken into a cluster"));
    }
    if (!node.preflightPassed()) {
      List<String> reasons = node.preflightReasons().stream().filter(r -> !Texts.blank(r)).toList();
      problems.add(
          new FieldProblem(
              field,
              "preflight-failed",
              reasons.isEmpty()
                  ? "node " + node.label() + " has not passed preflight"
                  : "node " + node.label() + " failed preflight: " + String.join("; ", reasons)));
    }
  }

  /**
   * One control-plane pool, of one node or an odd number of three or more: etcd needs a majority,
   * so a fourth member adds a failure to survive no better than three do.
   */
  private static void checkControlPlane(
      List<NodePoolSpec> pools,
      List<Integer> controlPlanePools,
      boolean workloadsAllowed,
      List<FieldProblem> problems) {
    if (controlPlanePools.isEmpty()) {
      problems.add(
          new FieldProblem(
              "nodePools",
              "control-plane-pool-required",
              "a pool with the role CONTROL_PLANE is required"));
      return;
    }
    int first = controlPlanePools.get(0);
    for (int k = 1; k < controlPlanePools.size(); k++) {
      problems.add(
          new FieldProblem(
              "nodePools[" + controlPlanePools.get(k) + "].role",
              "control-plane-pool-duplicate",
              "a cluster has one control-plane pool; nodePools[" + first + "] is one already"));
    }
    long count =
        controlPlanePools.stream()
            .flatMap(i -> pools.get(i).nodeIds().stream())
            .filter(id -> id != null)
            .distinct()
            .count();
    if (count > 0 && count != 1 && (count < 3 || count % 2 == 0)) {
      problems.add(
          new FieldProblem(
              "nodePools[" + first + "].nodes",
              "invalid-control-plane-count",
              "the control plane has "
                  + count
                  + " nodes; it needs 1, or an odd number of 3 or more, so that etcd keeps a"
                  + " majority"));
    }
    if (!workloadsAllowed) {
      problems.add(
          new FieldProblem(
              "nodePools[" + first + "].allowWorkloads",
              "no-workload-nodes",
              "with no worker nodes, the control plane must allow workloads: the registry and"
                  + " the storage run on them"));
    }
  }

  private static String labelOf(UUID id, Map<UUID, NodeFacts> nodes) {
    NodeFacts facts = nodes.get(id);
    return facts == null ? id.toString() : facts.label();
  }

  private static void checkPlatform(Selection selection, List<FieldProblem> problems) {
    Map<String, List<String>> platforms = platforms(selection);
    if (platforms.size() > 1) {
      problems.add(
          new FieldProblem(
              "nodePools",
              "mixed-platforms",
              "a cluster's nodes run on one platform; these run on "
                  + platforms.entrySet().stream()
                      .map(e -> e.getKey() + " (" + String.join(", ", e.getValue()) + ")")
                      .collect(Collectors.joining(", "))));
    }
  }

  /** Host names by platform, in the order the platforms are first seen. */
  private static Map<String, List<String>> platforms(Selection selection) {
    Map<String, List<String>> platforms = new LinkedHashMap<>();
    for (NodeFacts node : selection.known().values()) {
      String platform =
          Texts.blank(node.platform())
              ? UNKNOWN_PLATFORM
              : node.platform().strip().toLowerCase(Locale.ROOT);
      platforms.computeIfAbsent(platform, p -> new ArrayList<>()).add(node.label());
    }
    return platforms;
  }

  // ---------------------------------------------------------------------------------------------
  // Networks and the VIP
  // ---------------------------------------------------------------------------------------------

  private static void checkNetworks(
      ClusterConfig config, Selection selection, List<FieldProblem> problems) {
    Optional<Ipv4Cidr> pod = network(config.podCidr(), "config.podCidr", problems);
    Optional<Ipv4Cidr> service = network(config.serviceCidr(), "config.serviceCidr", problems);
    if (service.isPresent()
        && (service.get().prefix() < MIN_SERVICE_PREFIX
            || service.get().prefix() > MAX_SERVICE_PREFIX)) {
      problems.add(
          new FieldProblem(
              "config.serviceCidr",
              "cidr-size",
              "a service network is a /"
                  + MIN_SERVICE_PREFIX
                  + " to a /"
                  + MAX_SERVICE_PREFIX
                  + ", not a /"
                  + service.get().prefix()));
    }
    if (pod.isPresent() && service.isPresent() && pod.get().overlaps(service.get())) {
      problems.add(
          new FieldProblem(
              "config.podCidr",
              "cidr-overlap",
              pod.get() + " overlaps the service network " + service.get()));
      problems.add(
          new FieldProblem(
              "config.serviceCidr",
              "cidr-overlap",
              service.get() + " overlaps the pod network " + pod.get()));
    }
    Map<Ipv4Cidr, List<String>> nodeNetworks = new LinkedHashMap<>();
    for (NodeFacts node : selection.known().values()) {
      for (Ipv4Cidr address : ipv4Addresses(node)) {
        List<String> names =
            nodeNetworks.computeIfAbsent(address.networkCidr(), n -> new ArrayList<>());
        if (!names.contains(node.label())) {
          names.add(node.label());
        }
      }
    }
    Optional<Integer> vip = vipAddress(config.vip());
    pod.ifPresent(p -> checkAgainstNodes(p, "config.podCidr", nodeNetworks, vip, problems));
    service.ifPresent(s -> checkAgainstNodes(s, "config.serviceCidr", nodeNetworks, vip, problems));
  }

  private static void checkAgainstNodes(
      Ipv4Cidr cidr,
      String field,
      Map<Ipv4Cidr, List<String>> nodeNetworks,
      Optional<Integer> vip,
      List<FieldProblem> problems) {
    for (Map.Entry<Ipv4Cidr, List<String>> network : nodeNetworks.entrySet()) {
      if (cidr.overlaps(network.getKey())) {
        problems.add(
            new FieldProblem(
                field,
                "cidr-overlap",
                cidr
                    + " overlaps "
                    + network.getKey()
                    + ", the network of node(s) "
                    + String.join(", ", network.getValue())));
      }
    }
    if (vip.isPresent() && cidr.contains(vip.get())) {
      problems.add(
          new FieldProblem(
              field, "cidr-overlap", cidr + " contains the VIP " + Ipv4.format(vip.get())));
    }
  }

  private static Optional<Ipv4Cidr> network(
      String text, String field, List<FieldProblem> problems) {
    if (Texts.blank(text)) {
      problems.add(
          new FieldProblem(field, "required", "a network such as 10.0.0.0/16 is required"));
      return Optional.empty();
    }
    try {
      return Optional.of(Ipv4Cidr.parseNetwork(text));
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, "invalid-cidr", e.getMessage()));
      return Optional.empty();
    }
  }

  /** The VIP's address when it is one, for the checks of other fields. */
  private static Optional<Integer> vipAddress(String vip) {
    return vip != null && Ipv4.isValid(vip) ? Optional.of(Ipv4.parse(vip)) : Optional.empty();
  }

  /**
   * The VIP is held by one control-plane node at a time and answered for by ARP, so it must lie in
   * a subnet every control-plane node is on. It must not be taken already by a node, nor be the
   * network's or broadcast address.
   */
  private static void checkVip(String vip, Selection selection, List<FieldProblem> problems) {
    String field = "config.vip";
    if (Texts.blank(vip)) {
      problems.add(
          new FieldProblem(field, "required", "a free IPv4 address for the VIP is required"));
      return;
    }
    if (vip.endsWith("/32")) {
      problems.add(
          new FieldProblem(
              field,
              "invalid-vip",
              "give the VIP as an address without a prefix length, such as "
                  + vip.substring(0, vip.length() - 3)));
      return;
    }
    int address;
    try {
      address = Ipv4.parse(vip);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem(field, "invalid-vip", e.getMessage()));
      return;
    }
    for (NodeFacts node : selection.known().values()) {
      for (Ipv4Cidr own : ipv4Addresses(node)) {
        if (own.address() == address) {
          problems.add(
              new FieldProblem(
                  field,
                  "vip-is-node-address",
                  vip + " is the address of node " + node.label() + "; the VIP must be free"));
        }
      }
    }
    boolean reservedReported = false;
    for (NodeFacts node : selection.controlPlane()) {
      List<Ipv4Cidr> addresses = ipv4Addresses(node);
      Optional<Ipv4Cidr> subnet = addresses.stream().filter(a -> a.contains(address)).findFirst();
      if (subnet.isEmpty()) {
        problems.add(
            new FieldProblem(
                field,
                "vip-outside-subnet",
                addresses.isEmpty()
                    ? "control-plane node " + node.label() + " reports no IPv4 address"
                    : vip
                        + " is not in a subnet of control-plane node "
                        + node.label()
                        + " ("
                        + addresses.stream()
                            .map(Ipv4Cidr::toString)
                            .collect(Collectors.joining(", "))
                        + ")"));
      } else if (!reservedReported
          && subnet.get().prefix() <= 30
          && (address == subnet.get().network() || address == subnet.get().broadcast())) {
        reservedReported = true;
        problems.add(
            new FieldProblem(
                field,
                "vip-is-reserved-address",
                vip
                    + " is the "
                    + (address == subnet.get().network() ? "network" : "broadcast")
                    + " address of "
                    + subnet.get().networkCidr()));
      }
    }
  }

  /**
   * A node's IPv4 interface addresses. Entries that are not IPv4, such as IPv6 link-local
   * addresses, are skipped, and so is loopback, which every node has and no network reaches.
   */
  private static List<Ipv4Cidr> ipv4Addresses(NodeFacts node) {
    List<Ipv4Cidr> addresses = new ArrayList<>();
    for (String text : node.addresses()) {
      try {
        Ipv4Cidr address = Ipv4Cidr.parseInterface(text);
        if (!LOOPBACK.contains(address.address())) {
          addresses.add(address);
        }
      } catch (IllegalArgumentException e) {
        // not an IPv4 interface address; see above
      }
    }
    return addresses;
  }

  // ---------------------------------------------------------------------------------------------
  // NTP servers and SSH keys
  // ---------------------------------------------------------------------------------------------

  private static void checkNtpServers(List<String> servers, List<FieldProblem> problems) {
    if (servers.size() > NtpServer.MAX_SERVERS) {
      problems.add(
          new FieldProblem(
              "config.ntpServers",
              "too-many-ntp-servers",
              "at most " + NtpServer.MAX_SERVERS + " NTP servers; " + servers.size() + " given"));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < servers.size(); i++) {
      String field = "config.ntpServers[" + i + "]";
      NtpServer server;
      try {
        server = NtpServer.parse(servers.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldProblem(field, "invalid-ntp-server", e.getMessage()));
        continue;
      }
      Integer earlier = seen.putIfAbsent(server.key(), i);
      if (earlier != null) {
        problems.add(
            new FieldProblem(
                field,
                "duplicate-ntp-server",
                server.host() + " is already given at config.ntpServers[" + earlier + "]"));
      }
    }
  }

  private static void checkSshKeys(List<String> keys, List<FieldProblem> problems) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String field = "config.sshKeys[" + i + "]";
      SshPublicKey key;
      try {
        key = SshPublicKey.parse(keys.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(new FieldProblem(field, "invalid-ssh-key", e.getMessage()));
        continue;
      }
      Integer earlier = seen.putIfAbsent(key.fingerprint(), i);
      if (earlier != null) {
        problems.add(
            new FieldProblem(
                field,
                "duplicate-ssh-key",
                "the key "
                    + key.fingerprint()
                    + " is already given at config.sshKeys["
                    + earlier
                    + "]"));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Storage
  // ---------------------------------------------------------------------------------------------

  /** The storage pool disk is wiped on every node, so it is checked on every node. */
  private static void checkStoragePool(
      String device, Selection selection, List<FieldProblem> problems) {
    String field = "config.storagePoolDevice";
    if (Texts.blank(device)) {
      problems.add(
          new FieldProblem(
              field, "required", "the storage pool disk, such as /dev/sdb, is required"));
      return;
    }
    if (!DEVICE.matcher(device).matches() || device.contains("/../") || device.endsWith("/..")) {
      problems.add(
          new FieldProblem(
              field,
              "invalid-device",
              Texts.quote(device)
                  + " is not a device path such as /dev/sdb or /dev/disk/by-id/..."));
      return;
    }
    for (NodeFacts node : selection.known().values()) {
      Optional<NodeFacts.Disk> disk =
          node.disks().stream().filter(d -> d != null && d.isNamed(device)).findFirst();
      if (disk.isEmpty()) {
        problems.add(
            new FieldProblem(
                field,
                "device-missing",
                "node " + node.label() + " has no disk " + device + "; it has " + disksOf(node)));
      } else if (disk.get().osDisk()) {
        problems.add(
            new FieldProblem(
                field,
                "device-is-os-disk",
                "on node "
                    + node.label()
                    + ", "
                    + device
                    + " is the OS disk; the storage pool disk is wiped"));
      } else if (disk.get().sizeBytes() < MIN_STORAGE_POOL_BYTES) {
        problems.add(
            new FieldProblem(
                field,
                "device-too-small",
                "on node "
                    + node.label()
                    + ", "
                    + device
                    + " has "
                    + gigabytes(disk.get().sizeBytes())
                    + " GB; the storage pool needs at least "
                    + gigabytes(MIN_STORAGE_POOL_BYTES)
                    + " GB"));
      }
    }
  }

  private static String disksOf(NodeFacts node) {
    List<String> disks = new ArrayList<>();
    for (NodeFacts.Disk disk : node.disks()) {
      if (disk != null) {
        disks.add(
            disk.path()
                + " ("
                + (disk.osDisk() ? "OS disk, " : "")
                + gigabytes(disk.sizeBytes())
                + " GB)");
      }
    }
    return disks.isEmpty() ? "no disks" : String.join(", ", disks);
  }

  private static long gigabytes(long bytes) {
    return bytes / 1_000_000_000L;
  }

  /** Every volume keeps this many copies, each on its own node. */
  private static void checkCsiPlacement(
      Integer count, Selection selection, List<FieldProblem> problems) {
    String field = "config.csiPlacementCount";
    if (count == null || (count != 1 && count != 3)) {
      problems.add(
          new FieldProblem(
              field, "invalid-csi-placement", "the CSI placement count is 1 or 3, not " + count));
    } else if (selection.selectedCount() > 0 && count > selection.selectedCount()) {
      problems.add(
          new FieldProblem(
              field,
              "invalid-csi-placement",
              count
                  + " copies of each volume need "
                  + count
                  + " nodes; the cluster has "
                  + selection.selectedCount()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Registry
  // ---------------------------------------------------------------------------------------------

  private static void checkRegistry(RegistryConfig registry, List<FieldProblem> problems) {
    String field = "config.registry";
    if (registry.mode() == null) {
      problems.add(
          new FieldProblem(
              field + ".mode", "required", "a registry mode is required: IN_CLUSTER or EXTERNAL"));
      return;
    }
    if (registry.basePath() != null && !BASE_PATH.matcher(registry.basePath()).matches()) {
      problems.add(
          new FieldProblem(
              field + ".basePath",
              "registry-invalid-base-path",
              Texts.quote(registry.basePath())
                  + " is not a repository path: lower-case parts such as spectro-content,"
                  + " separated by '/'"));
    }
    if (registry.mode() == RegistryConfig.Mode.IN_CLUSTER) {
      checkInClusterRegistry(registry, field, problems);
    } else {
      checkExternalRegistry(registry, field, problems);
    }
  }

  private static void checkInClusterRegistry(
      RegistryConfig registry, String field, List<FieldProblem> problems) {
    if (registry.port() < MIN_NODE_PORT || registry.port() > MAX_NODE_PORT) {
      problems.add(
          new FieldProblem(
              field + ".port",
              "registry-port-out-of-range",
              "the in-cluster registry is served on a NodePort, "
                  + MIN_NODE_PORT
                  + " to "
                  + MAX_NODE_PORT
                  + ", not "
                  + registry.port()));
    }
    if (registry.storageGiB() < RegistryConfig.MIN_STORAGE_GIB) {
      problems.add(
          new FieldProblem(
              field + ".storageGiB",
              "registry-storage-too-small",
              "the registry needs at least "
                  + RegistryConfig.MIN_STORAGE_GIB
                  + " GiB, not "
                  + registry.storageGiB()));
    }
    if (Texts.blank(registry.username())) {
      problems.add(
          new FieldProblem(
              field + ".username",
              "registry-username-required",
              "the in-cluster registry needs a user name"));
    }
    if (!registry.passwordSet()) {
      problems.add(
          new FieldProblem(
              field + ".password",
              "registry-password-required",
              "the in-cluster registry needs a password"));
    }
  }

  private static void checkExternalRegistry(
      RegistryConfig registry, String field, List<FieldProblem> problems) {
    if (Texts.blank(registry.endpoint())) {
      problems.add(
          new FieldProblem(
              field + ".endpoint",
              "registry-endpoint-required",
              "an external registry needs an endpoint such as https://registry.example.com"));
    } else {
      endpointProblem(registry.endpoint())
          .ifPresent(
              message ->
                  problems.add(
                      new FieldProblem(field + ".endpoint", "registry-invalid-endpoint", message)));
    }
    if (registry.port() != null && (registry.port() < 1 || registry.port() > 65535)) {
      problems.add(
          new FieldProblem(
              field + ".port",
              "registry-port-out-of-range",
              "a port is 1 to 65535, not " + registry.port()));
    }
    boolean hasUsername = !Texts.blank(registry.username());
    if (hasUsername && !registry.passwordSet()) {
      problems.add(
          new FieldProblem(
              field + ".password",
              "registry-credentials-incomplete",
              "a user name is given, so a password is required too"));
    } else if (!hasUsername && registry.passwordSet()) {
      problems.add(
          new FieldProblem(
              field + ".username",
              "registry-credentials-incomplete",
              "a password is given, so a user name is required too"));
    }
    if (!Texts.blank(registry.caCertificate())) {
      caCertificateProblem(registry.caCertificate())
          .ifPresent(
              message ->
                  problems.add(
                      new FieldProblem(
                          field + ".caCertificate", "registry-invalid-ca-certificate", message)));
    }
  }

  private static Optional<String> endpointProblem(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      return Optional.of(Texts.quote(endpoint) + " is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.of(
          Texts.quote(endpoint)
              + " is not an http or https URL, such as https://registry.example.com");
    }
    if (uri.getHost() == null) {
      return Optional.of(Texts.quote(endpoint) + " has no valid host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("put the credentials in the user name and password, not in the URL");
    }
    if (uri.getPort() > 65535) {
      return Optional.of(Texts.quote(endpoint) + " has a port above 65535");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return Optional.of(
          Texts.quote(endpoint) + " has a query or fragment; give the registry's URL only");
    }
    return Optional.empty();
  }

  /** The CA must be one or more PEM certificates the JDK can read, as the nodes will need to. */
  private static Optional<String> caCertificateProblem(String pem) {
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      return Optional.of(
          "the CA certificate must be in PEM form, starting -----BEGIN CERTIFICATE-----");
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      if (factory
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .isEmpty()) {
        return Optional.of("the CA certificate holds no certificate");
      }
      return Optional.empty();
    } catch (CertificateException | RuntimeException e) {
      return Optional.of("the CA certificate cannot be read: " + e.getMessage());
    }
  }
}
