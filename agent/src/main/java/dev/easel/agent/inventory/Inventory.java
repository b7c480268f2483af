package dev.easel.agent.inventory;

import java.util.List;

/**
 * This machine as the agent reports it. A field the agent could not read is null, never a guess.
 * The JSON shape is the agent API's inventory body.
 */
public record Inventory(
    String hostname,
    String machineId,
    Smbios smbios,
    String architecture,
    String firmware,
    Os os,
    String agentVersion,
    Cpu cpu,
    Long memoryBytes,
    List<Disk> disks,
    List<Nic> nics) {

  /** SMBIOS identity from {@code /sys/class/dmi/id}. */
  public record Smbios(String vendor, String product, String serial, String uuid) {}

  /** From {@code /etc/os-release} and the running kernel. */
  public record Os(String name, String version, String kernel) {}

  /** From {@code /proc/cpuinfo}, or the CPU topology in {@code /sys}. */
  public record Cpu(String model, Integer cores, Integer threads) {}

  /** A whole block device (not a partition) from {@code /sys/block}. */
  public record Disk(
      String name, Long sizeBytes, Boolean rotational, String model, String serial) {}

  /** A network interface from {@code /sys/class/net}. */
  public record Nic(String name, String mac, List<String> ips, Long speedMbps, Boolean link) {}
}
