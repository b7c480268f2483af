package dev.easel.nodes.domain;

import java.util.List;

/**
 * What a node's agent reports about its machine. Any field the agent could not read is null.
 *
 * @param hostname the host name
 * @param machineId {@code /etc/machine-id}
 * @param smbios vendor, product, serial and UUID from SMBIOS/DMI
 * @param architecture such as {@code amd64} or {@code arm64}
 * @param firmware {@code uefi} or {@code bios}
 * @param os name, version and kernel
 * @param agentVersion the agent's own version
 * @param cpu model, cores and threads
 * @param memoryBytes physical memory
 * @param disks block devices
 * @param nics network interfaces
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

  public Inventory {
    disks = disks == null ? List.of() : List.copyOf(disks);
    nics = nics == null ? List.of() : List.copyOf(nics);
  }

  /** Logical CPUs: the threads when the agent read them, else the cores; null when neither. */
  public Integer cpus() {
    if (cpu == null) {
      return null;
    }
    return cpu.threads() != null ? cpu.threads() : cpu.cores();
  }

  /** SMBIOS identity. */
  public record Smbios(String vendor, String product, String serial, String uuid) {}

  /** Operating system. */
  public record Os(String name, String version, String kernel) {}

  /** Processor. */
  public record Cpu(String model, Integer cores, Integer threads) {}

  /** A block device. */
  public record Disk(
      String name, Long sizeBytes, Boolean rotational, String model, String serial) {}

  /** A network interface. */
  public record Nic(String name, String mac, List<String> ips, Long speedMbps, Boolean link) {

    public Nic {
      ips = ips == null ? List.of() : List.copyOf(ips);
    }
  }
}
