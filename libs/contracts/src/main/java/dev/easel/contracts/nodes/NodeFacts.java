package dev.easel.contracts.nodes;

import java.util.List;

/**
 * What another service needs to know of a node's machine to place a cluster on it, as
 * node-discovery read it from the agent's inventory. Reachability and reservations are not here:
 * they have events of their own.
 *
 * @param platform baremetal, vsphere or maas
 * @param architecture such as amd64, or null when unknown
 * @param cpus logical CPUs, or null when unknown
 * @param memoryBytes physical memory, or null when unknown
 * @param disks block devices, the OS disk marked
 * @param addresses interface addresses with their prefix, such as {@code 10.0.0.11/24}
 * @param preflightPassed whether the machine meets the appliance's minimums
 * @param preflightFailures the reason of each failed check, empty when it passed
 */
public record NodeFacts(
    String platform,
    String architecture,
    Integer cpus,
    Long memoryBytes,
    List<Disk> disks,
    List<String> addresses,
    boolean preflightPassed,
    List<String> preflightFailures) {

  public NodeFacts {
    disks = disks == null ? List.of() : List.copyOf(disks);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    preflightFailures = preflightFailures == null ? List.of() : List.copyOf(preflightFailures);
  }

  /**
   * A block device.
   *
   * @param path its device path, such as {@code /dev/sdb}
   * @param sizeBytes its size, or 0 when unknown
   * @param osDisk whether preflight took it for the OS disk
   * @param serial its serial, or null, for matching a {@code /dev/disk/by-id} path
   */
  public record Disk(String path, long sizeBytes, boolean osDisk, String serial) {}
}
