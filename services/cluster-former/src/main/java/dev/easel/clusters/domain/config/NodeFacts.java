package dev.easel.clusters.domain.config;

import java.util.List;
import java.util.UUID;

/**
 * What the validator knows of a node that was selected for a cluster, as node discovery reports it.
 *
 * @param id the node
 * @param hostname its name, used in messages
 * @param state {@code READY} when free; {@code RESERVED}, {@code IN_CLUSTER} and {@code
 *     UNREACHABLE} are not
 * @param preflightPassed whether the node meets the appliance's minimums
 * @param preflightReasons why not, when it does not
 * @param platform {@code baremetal}, {@code vsphere} or {@code maas}
 * @param addresses interface addresses in CIDR notation, such as {@code 10.10.0.11/24}; IPv6 and
 *     other entries that are not IPv4 are ignored
 * @param disks the node's block devices
 */
public record NodeFacts(
    UUID id,
    String hostname,
    String state,
    boolean preflightPassed,
    List<String> preflightReasons,
    String platform,
    List<String> addresses,
    List<Disk> disks) {

  /** The state of a node that is free to take. */
  public static final String READY = "READY";

  public NodeFacts {
    preflightReasons = Texts.copy(preflightReasons);
    addresses = Texts.copy(addresses);
    disks = Texts.copy(disks);
  }

  /** Whether the node is free to take into a cluster. */
  public boolean isFree() {
    return READY.equals(state);
  }

  /** The host name, or the id when the node has none, for messages. */
  public String label() {
    return hostname == null || hostname.isBlank() ? String.valueOf(id) : hostname;
  }

  /**
   * A block device.
   *
   * @param path its kernel name, such as {@code /dev/sdb}
   * @param aliases other names of the same disk, such as {@code /dev/disk/by-id/...} paths
   * @param sizeBytes its size
   * @param osDisk whether the OS is installed on it
   */
  public record Disk(String path, List<String> aliases, long sizeBytes, boolean osDisk) {

    public Disk {
      aliases = Texts.copy(aliases);
    }

    /** Whether the device name is this disk's path or one of its aliases. */
    public boolean isNamed(String device) {
      return device != null && (device.equals(path) || aliases.contains(device));
    }
  }
}
