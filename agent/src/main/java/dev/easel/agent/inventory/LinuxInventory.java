package dev.easel.agent.inventory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads the inventory of a Linux machine from {@code /proc}, {@code /sys}, {@code /etc/os-release}
 * and {@code /etc/machine-id}, under a root that tests point at a fixture tree.
 *
 * <p>SMBIOS serial and UUID are readable by root only; run as another user, they are null.
 */
public final class LinuxInventory {

  /** Block devices that are not disks of the machine. */
  private static final List<String> VIRTUAL_BLOCK =
      List.of("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd");

  private final Path root;
  private final String agentVersion;
  private final Function<String, List<String>> addressesOf;

  public LinuxInventory(Path root, String agentVersion) {
    this(root, agentVersion, LinuxInventory::hostAddresses);
  }

  /**
   * @param addressesOf the IP addresses of an interface by name; the host's own by default, since
   *     {@code /sys} does not hold them
   */
  public LinuxInventory(
      Path root, String agentVersion, Function<String, List<String>> addressesOf) {
    this.root = root;
    this.agentVersion = agentVersion;
    this.addressesOf = addressesOf;
  }

  public Inventory read() {
    Map<String, String> os = osRelease();
    return new Inventory(
        firstNonNull(text("proc/sys/kernel/hostname"), text("etc/hostname")),
        text("etc/machine-id"),
        new Inventory.Smbios(
            text("sys/class/dmi/id/sys_vendor"),
            text("sys/class/dmi/id/product_name"),
            text("sys/class/dmi/id/product_serial"),
            lower(text("sys/class/dmi/id/product_uuid"))),
        architecture(),
        firmware(),
        new Inventory.Os(
            os.get("NAME"),
            firstNonNull(os.get("VERSION_ID"), os.get("VERSION")),
            text("proc/sys/kernel/osrelease")),
        agentVersion,
        cpu(),
        memoryBytes(),
        disks(),
        nics());
  }

  // ---- identity ----------------------------------------------------------------------------

  private String architecture() {
    // The kernel's machine name is not in /proc as a file; the JVM reads it from uname(2).
    String arch = System.getProperty("os.arch");
    if (arch == null) {
      return null;
    }
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      default:
        return arch;
    }
  }

  private String firmware() {
    if (Files.isDirectory(root.resolve("sys/firmware/efi"))) {
      return "uefi";
    }
    return Files.isDirectory(root.resolve("sys/firmware")) ? "bios" : null;
  }

  private Map<String, String> osRelease() {
    Map<String, String> out = new LinkedHashMap<>();
    String text = firstNonNull(raw("etc/os-release"), raw("usr/lib/os-release"));
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.startsWith("#")) {
        continue;
      }
      String v = line.substring(eq + 1).trim();
      if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
        v = v.substring(1, v.length() - 1);
      }
      out.put(line.substring(0, eq).trim(), v);
    }
    return out;
  }

  // ---- hardware ----------------------------------------------------------------------------

  private Inventory.Cpu cpu() {
    String cpuinfo = raw("proc/cpuinfo");
    if (cpuinfo == null) {
      return new Inventory.Cpu(null, null, null);
    }
    String model = null;
    int threads = 0;
    Set<String> cores = new HashSet<>();
    String physical = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "processor":
          threads++;
          physical = null;
          break;
        case "model name":
        case "Model":
          model = model == null ? value : model;
          break;
        case "physical id":
          physical = value;
          break;
        case "core id":
          cores.add(physical + "/" + value);
          break;
        default:
          break;
      }
    }
    Integer coreCount = cores.isEmpty() ? topologyCores() : Integer.valueOf(cores.size());
    return new Inventory.Cpu(model, coreCount, threads == 0 ? null : threads);
  }

  /** Cores from {@code /sys/devices/system/cpu/cpuN/topology}, where cpuinfo lacks core ids. */
  private Integer topologyCores() {
    Path cpus = root.resolve("sys/devices/system/cpu");
    Set<String> cores = new HashSet<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(cpus, "cpu[0-9]*")) {
      for (Path cpu : dirs) {
        String pkg = text(cpu.resolve("topology/physical_package_id"));
        String core = text(cpu.resolve("topology/core_id"));
        if (core == null) {
          return null;
        }
        cores.add(pkg + "/" + core);
      }
    } catch (IOException e) {
      return null;
    }
    return cores.isEmpty() ? null : cores.size();
  }

  private Long memoryBytes() {
    String meminfo = raw("proc/meminfo");
    if (meminfo == null) {
      return null;
    }
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring(9).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  private List<Inventory.Disk> disks() {
    List<Inventory.Disk> out = new ArrayList<>();
    for (String name : list("sys/block")) {
      if (VIRTUAL_BLOCK.stream().anyMatch(name::startsWith)) {
        continue;
      }
      Path dev = root.resolve("sys/block").resolve(name);
      Long sectors = number(dev.resolve("size"));
      if (sectors != null && sectors == 0) {
        continue; // an empty card reader or a detached device
      }
      String rotational = text(dev.resolve("queue/rotational"));
      out.add(
          new Inventory.Disk(
              name,
              sectors == null ? null : sectors * 512, // the kernel counts 512-byte sectors
              rotational == null ? null : rotational.equals("1"),
              text(dev.resolve("device/model")),
              firstNonNull(text(dev.resolve("device/serial")), text(dev.resolve("serial")))));
    }
    return out;
  }

  private List<Inventory.Nic> nics() {
    List<Inventory.Nic> out = new ArrayList<>();
    for (String name : list("sys/class/net")) {
      if (name.equals("lo")) {
        continue;
      }
      Path nic = root.resolve("sys/class/net").resolve(name);
      Long speed = number(nic.resolve("speed"));
      String carrier = text(nic.resolve("carrier"));
      out.add(
          new Inventory.Nic(
              name,
              text(nic.resolve("address")),
              addressesOf.apply(name),
              speed == null || speed < 0 ? null : speed,
              carrier == null ? null : carrier.equals("1")));
    }
    return out;
  }

  private static List<String> hostAddresses(String name) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(name);
      if (nic == null) {
        return List.of();
      }
      List<String> ips = new ArrayList<>();
      for (InterfaceAddress a : nic.getInterfaceAddresses()) {
        InetAddress address = a.getAddress();
        String ip = address.getHostAddress();
        int zone = ip.indexOf('%');
        ips.add((zone < 0 ? ip : ip.substring(0, zone)) + "/" + a.getNetworkPrefixLength());
      }
      return ips;
    } catch (SocketException e) {
      return List.of();
    }
  }

  // ---- reading files -----------------------------------------------------------------------

  private List<String> list(String dir) {
    Set<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(dir))) {
      for (Path p : entries) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      return List.of();
    }
    return List.copyOf(names);
  }

  private String raw(String path) {
    try {
      return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private String text(String path) {
    return text(root.resolve(path));
  }

  private static String text(Path path) {
    try {
      String s = Files.readString(path, StandardCharsets.UTF_8).trim();
      return s.isEmpty() ? null : s;
    } catch (IOException | RuntimeException e) {
      return null; // absent, or readable by root only
    }
  }

  private static Long number(Path path) {
    String s = text(path);
    if (s == null) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
