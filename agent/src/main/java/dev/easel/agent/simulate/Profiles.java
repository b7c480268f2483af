package dev.easel.agent.simulate;

import dev.easel.agent.inventory.Inventory;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Machines a simulated fleet is made of: servers and VMs that pass the appliance preflight, and
 * ones that fail it (too small, BIOS firmware, one disk). Each simulated node keeps its profile.
 */
final class Profiles {

  private static final long GIB = 1024L * 1024 * 1024;
  private static final long GB = 1_000_000_000L;

  /** A kind of machine. */
  record Profile(
      String key,
      String vendor,
      String product,
      String arch,
      String firmware,
      String cpuModel,
      int cores,
      int threads,
      long memoryBytes,
      List<long[]> disks, // {sizeBytes, rotational 0/1}
      long nicSpeed) {}

  static final List<Profile> ALL =
      List.of(
          new Profile(
              "r650",
              "Dell Inc.",
              "PowerEdge R650",
              "amd64",
              "uefi",
              "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz",
              32,
              64,
              256 * GIB - 1_843_200L * 1024,
              List.of(new long[] {960 * GB, 0}, new long[] {3_840 * GB, 0}),
              25_000),
          new Profile(
              "dl360",
              "HPE",
              "ProLiant DL360 Gen10",
              "amd64",
              "uefi",
              "Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz",
              12,
              24,
              64 * GIB - 1_013_760L * 1024,
              List.of(new long[] {480 * GB, 0}, new long[] {1_920 * GB, 1}),
              10_000),
          new Profile(
              "vsphere-vm",
              "VMware, Inc.",
              "VMware7,1",
              "amd64",
              "uefi",
              "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
              8,
              8,
              16 * GIB - 409_600L * 1024,
              List.of(new long[] {320 * GB, 0}, new long[] {600 * GB, 0}),
              10_000),
          new Profile(
              "ampere",
              "Ampere Computing",
              "Mt. Collins",
              "arm64",
              "uefi",
              "Neoverse-N1",
              80,
              80,
              256 * GIB - 2_097_152L * 1024,
              List.of(new long[] {1_920 * GB, 0}, new long[] {3_840 * GB, 0}),
              25_000),
          // These fail preflight, as real fleets always hold a few.
          new Profile(
              "small-vm",
              "VMware, Inc.",
              "VMware7,1",
              "amd64",
              "uefi",
              "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz",
              4,
              4,
              8 * GIB - 204_800L * 1024,
              List.of(new long[] {100 * GB, 0}),
              10_000),
          new Profile(
              "bios-server",
              "Supermicro",
              "SYS-1029P-WTR",
              "amd64",
              "bios",
              "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz",
              16,
              32,
              128 * GIB - 1_536_000L * 1024,
              List.of(new long[] {480 * GB, 0}, new long[] {2_000 * GB, 1}),
              1_000),
          new Profile(
              "nuc",
              "Intel(R) Client Systems",
              "NUC11TNHi5",
              "amd64",
              "uefi",
              "11th Gen Intel(R) Core(TM) i5-1135G7 @ 2.40GHz",
              4,
              8,
              32 * GIB - 716_800L * 1024,
              List.of(new long[] {500 * GB, 0}),
              1_000));

  private Profiles() {}

  /**
   * The fleet repeats this mix: five of eight pass preflight, so even a demo of five machines shows
   * a small VM and a BIOS server failing it.
   */
  private static final List<String> MIX =
      List.of(
          "r650", "vsphere-vm", "small-vm", "dl360", "bios-server", "ampere", "vsphere-vm", "nuc");

  /** The profile of the {@code index}-th node of a fleet, the same every time. */
  static Profile forIndex(int index) {
    return byKey(MIX.get(Math.floorMod(index, MIX.size())));
  }

  static Profile byKey(String key) {
    return ALL.stream().filter(p -> p.key().equals(key)).findFirst().orElse(ALL.get(0));
  }

  /** The inventory of one simulated machine; its serials and MACs derive from its identity. */
  static Inventory inventory(SimulatedNode.Identity id, String agentVersion) {
    Profile p = byKey(id.profile());
    Random r = new Random(id.smbiosUuid().getMostSignificantBits());
    String serial = serial(r, 10);
    List<Inventory.Disk> disks = new java.util.ArrayList<>();
    for (int i = 0; i < p.disks().size(); i++) {
      long[] d = p.disks().get(i);
      boolean nvme = d[1] == 0 && p.cores() >= 32;
      disks.add(
          new Inventory.Disk(
              nvme ? "nvme" + i + "n1" : "sd" + (char) ('a' + i),
              d[0],
              d[1] == 1,
              d[1] == 1 ? "ST2000NM0055-1V4" : nvme ? "SAMSUNG MZQL2960HCJR-00A07" : "Virtual disk",
              serial(r, 12)));
    }
    String mac =
        String.format(
            Locale.ROOT, "52:54:00:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
    String ip = address(id.index());
    return new Inventory(
        id.hostname(),
        id.machineId(),
        new Inventory.Smbios(p.vendor(), p.product(), serial, id.smbiosUuid().toString()),
        p.arch(),
        p.firmware(),
        new Inventory.Os("Ubuntu", "22.04", "5.15.0-91-generic"),
        agentVersion,
        new Inventory.Cpu(p.cpuModel(), p.cores(), p.threads()),
        p.memoryBytes(),
        disks,
        List.of(new Inventory.Nic("eno1", mac, List.of(ip + "/16"), p.nicSpeed(), true)));
  }

  /** The IPv4 address of the {@code index}-th node of a fleet. */
  static String address(int index) {
    return "10." + (index / 65_536 % 256) + "." + (index / 256 % 256) + "." + (index % 256);
  }

  private static String serial(Random r, int length) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return s.toString();
  }
}
