package dev.easel.nodes.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a node against the appliance's minimums: 8 CPUs, 16 GiB of memory, an OS disk of at least
 * 300 GB and a second disk of at least 500 GB for the storage pool (which is wiped), UEFI boot, and
 * reachable. Each check passes or fails with its reason; nothing is hidden behind one verdict.
 */
public final class Preflight {

  static final int MIN_CPUS = 8;
  static final long MIN_MEMORY_BYTES = 16L << 30;
  // The kernel and firmware keep a little memory back, so a 16 GiB machine reports slightly less;
  // 3% is more than they take and less than a smaller DIMM configuration would show.
  static final long MEMORY_TOLERANCE_BYTES = MIN_MEMORY_BYTES * 3 / 100;
  static final long MIN_OS_DISK_BYTES = 300_000_000_000L;
  static final long MIN_POOL_DISK_BYTES = 500_000_000_000L;

  private Preflight() {}

  /** One check's verdict. */
  public record Check(String name, boolean passed, String reason) {}

  /** All checks, in a stable order. */
  public record Result(boolean passed, List<Check> checks) {}

  public static Result run(Inventory inv, boolean reachable) {
    List<Check> checks = new ArrayList<>();
    Integer cpus = inv.cpus();
    checks.add(
        cpus == null
            ? new Check("cpu", false, "the agent reported no CPU count")
            : new Check(
                "cpu",
                cpus >= MIN_CPUS,
                cpus
                    + " CPUs"
                    + (cpus >= MIN_CPUS ? "" : "; at least " + MIN_CPUS + " are needed")));
    Long mem = inv.memoryBytes();
    checks.add(
        mem == null
            ? new Check("memory", false, "the agent reported no memory size")
            : new Check(
                "memory",
                mem >= MIN_MEMORY_BYTES - MEMORY_TOLERANCE_BYTES,
                gib(mem)
                    + " GiB"
                    + (mem >= MIN_MEMORY_BYTES - MEMORY_TOLERANCE_BYTES
                        ? ""
                        : "; at least 16 GiB is needed")));
    checks.addAll(disks(inv));
    String fw = inv.firmware();
    checks.add(
        fw == null
            ? new Check("firmware", false, "the agent could not tell UEFI from BIOS")
            : new Check(
                "firmware",
                "uefi".equalsIgnoreCase(fw),
                "uefi".equalsIgnoreCase(fw) ? "UEFI boot" : fw + " boot; UEFI is needed"));
    checks.add(
        new Check("reachable", reachable, reachable ? "heartbeats arrive" : "no recent heartbeat"));
    return new Result(checks.stream().allMatch(Check::passed), List.copyOf(checks));
  }

  /** An OS disk and a different, larger-or-equal pool disk; the best pair wins. */
  /**
   * The disk preflight takes for the OS disk: the one that leaves the smallest disk of at least 500
   * GB for the storage pool, or, when no pair fits, the largest disk of at least 300 GB.
   */
  public static Optional<String> osDisk(Inventory inv) {
    Inventory.Disk[] pair = pair(inv);
    if (pair != null) {
      return Optional.of(pair[0].name());
    }
    return inv.disks().stream()
        .filter(d -> d.sizeBytes() != null && d.sizeBytes() >= MIN_OS_DISK_BYTES)
        .max(java.util.Comparator.comparingLong(Inventory.Disk::sizeBytes))
        .map(Inventory.Disk::name);
  }

  /** The OS disk and the storage pool disk, or null when no two disks fit. */
  private static Inventory.Disk[] pair(Inventory inv) {
    List<Inventory.Disk> disks = inv.disks().stream().filter(d -> d.sizeBytes() != null).toList();
    Inventory.Disk os = null;
    Inventory.Disk pool = null;
    for (Inventory.Disk p : disks) {
      if (p.sizeBytes() < MIN_POOL_DISK_BYTES) {
        continue;
      }
      for (Inventory.Disk o : disks) {
        if (o != p
            && o.sizeBytes() >= MIN_OS_DISK_BYTES
            && (pool == null || p.sizeBytes() < pool.sizeBytes())) {
          os = o;
          pool = p;
        }
      }
    }
    return os == null ? null : new Inventory.Disk[] {os, pool};
  }

  private static List<Check> disks(Inventory inv) {
    List<Inventory.Disk> disks = inv.disks().stream().filter(d -> d.sizeBytes() != null).toList();
    Inventory.Disk[] pair = pair(inv);
    Inventory.Disk os = pair == null ? null : pair[0];
    Inventory.Disk pool = pair == null ? null : pair[1];
    if (os != null) {
      return List.of(
          new Check("os-disk", true, os.name() + " (" + gb(os.sizeBytes()) + " GB)"),
          new Check(
              "storage-pool-disk",
              true,
              pool.name() + " (" + gb(pool.sizeBytes()) + " GB), which will be wiped"));
    }
    long bigEnoughForOs = disks.stream().filter(d -> d.sizeBytes() >= MIN_OS_DISK_BYTES).count();
    long bigEnoughForPool =
        disks.stream().filter(d -> d.sizeBytes() >= MIN_POOL_DISK_BYTES).count();
    Check osCheck =
        bigEnoughForOs > 0
            ? new Check("os-disk", true, bigEnoughForOs + " disk(s) of at least 300 GB")
            : new Check("os-disk", false, "no disk of at least 300 GB among " + disks.size());
    Check poolCheck =
        new Check(
            "storage-pool-disk",
            false,
            bigEnoughForPool == 0
                ? "no disk of at least 500 GB for the storage pool"
                : "the storage pool needs a second disk of at least 500 GB besides the OS disk");
    return List.of(osCheck, poolCheck);
  }

  private static long gib(long bytes) {
    return Math.round((double) bytes / (1L << 30));
  }

  private static long gb(long bytes) {
    return bytes / 1_000_000_000L;
  }
}
