package dev.easel.clusters.domain;

import java.util.List;

/**
 * A node's machine as node-discovery read it.
 *
 * @param platform baremetal, vsphere or maas
 * @param architecture such as amd64, or null
 * @param cpus logical CPUs, or null
 * @param memoryBytes memory, or null
 * @param disks its block devices
 * @param addresses interface addresses with their prefix
 * @param preflightPassed whether it meets the appliance's minimums
 * @param preflightFailures why not, one reason per failed check
 */
public record MachineFacts(
    String platform,
    String architecture,
    Integer cpus,
    Long memoryBytes,
    List<Disk> disks,
    List<String> addresses,
    boolean preflightPassed,
    List<String> preflightFailures) {

  public MachineFacts {
    disks = disks == null ? List.of() : List.copyOf(disks);
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    preflightFailures = preflightFailures == null ? List.of() : List.copyOf(preflightFailures);
  }

  /** A block device; {@code serial} lets a {@code /dev/disk/by-id} path name it. */
  public record Disk(String path, long sizeBytes, boolean osDisk, String serial) {}
}
