package dev.easel.clusters.domain.config;

import java.util.List;

/**
 * The settings a cluster is formed with, as the appliance's Profile Config and Cluster Config steps
 * ask for them. Values are kept as given, so that {@link ClusterValidation} can report a bad one at
 * its field rather than fail on it; lists may hold nulls for the same reason.
 *
 * @param podCidr the pods' network, such as {@code 100.64.0.0/18}
 * @param serviceCidr the services' network, such as {@code 100.64.64.0/18}
 * @param vip the control plane's virtual IPv4 address, held by kube-vip; required
 * @param ntpServers host names or IPv4 addresses; may be empty
 * @param sshKeys {@code authorized_keys} lines for the nodes' admin user; may be empty
 * @param storagePoolDevice the disk the storage pool takes over and wipes on every node, such as
 *     {@code /dev/sdb} or a {@code /dev/disk/by-id/...} path
 * @param csiPlacementCount how many nodes hold a copy of each volume: 1 or 3
 * @param registry where packs and images are kept
 */
public record ClusterConfig(
    String podCidr,
    String serviceCidr,
    String vip,
    List<String> ntpServers,
    List<String> sshKeys,
    String storagePoolDevice,
    Integer csiPlacementCount,
    RegistryConfig registry) {

  /** The appliance's defaults; 100.64.0.0/10 is shared address space, unlikely on a site LAN. */
  public static final String DEFAULT_POD_CIDR = "100.64.0.0/18";

  public static final String DEFAULT_SERVICE_CIDR = "100.64.64.0/18";
  public static final int DEFAULT_CSI_PLACEMENT_COUNT = 1;

  public ClusterConfig {
    ntpServers = Texts.copy(ntpServers);
    sshKeys = Texts.copy(sshKeys);
  }

  /**
   * The same settings with every default filled in where a field is null: the networks, the CSI
   * placement count, and an in-cluster registry with its port, path, user name and size. The VIP
   * and the storage pool device have no default; the device is wiped, so it must be chosen.
   */
  public ClusterConfig withDefaults() {
    return new ClusterConfig(
        podCidr == null ? DEFAULT_POD_CIDR : podCidr,
        serviceCidr == null ? DEFAULT_SERVICE_CIDR : serviceCidr,
        vip,
        ntpServers,
        sshKeys,
        storagePoolDevice,
        csiPlacementCount == null
            ? Integer.valueOf(DEFAULT_CSI_PLACEMENT_COUNT)
            : csiPlacementCount,
        registry == null ? RegistryConfig.inClusterDefaults() : registry.withDefaults());
  }
}
