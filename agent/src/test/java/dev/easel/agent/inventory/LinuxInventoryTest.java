package dev.easel.agent.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxInventoryTest {

  @TempDir Path root;

  private void file(String path, String content) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @Test
  void readsAServerFromProcSysAndEtc() throws IOException {
    file("proc/sys/kernel/hostname", "node-7\n");
    file("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    file("sys/class/dmi/id/sys_vendor", "Dell Inc.\n");
    file("sys/class/dmi/id/product_name", "PowerEdge R650\n");
    file("sys/class/dmi/id/product_uuid", "4C4C4544-0042-3010-8057-B4C04F4E3433\n");
    Files.createDirectories(root.resolve("sys/firmware/efi"));
    file("etc/os-release", "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n# comment\n");
    file("proc/sys/kernel/osrelease", "5.15.0-91-generic\n");
    file(
        "proc/cpuinfo",
        cpu(0, 0, 0) + cpu(1, 0, 1) + cpu(2, 0, 0) + cpu(3, 0, 1)); // 2 cores, 4 threads
    file("proc/meminfo", "MemTotal:       16303244 kB\nMemFree:  1 kB\n");
    file("sys/block/sda/size", "625142448\n");
    file("sys/block/sda/queue/rotational", "0\n");
    file("sys/block/sda/device/model", "SAMSUNG MZ7L3480\n");
    file("sys/block/loop0/size", "1000\n");
    file("sys/block/sr0/size", "0\n");
    file("sys/class/net/lo/address", "00:00:00:00:00:00\n");
    file("sys/class/net/eno1/address", "b4:96:91:aa:bb:cc\n");
    file("sys/class/net/eno1/speed", "25000\n");
    file("sys/class/net/eno1/carrier", "1\n");
    file("sys/class/net/eno2/address", "b4:96:91:aa:bb:cd\n");
    file("sys/class/net/eno2/speed", "-1\n");
    file("sys/class/net/eno2/carrier", "0\n");

    Inventory inv =
        new LinuxInventory(
                root, "1.2.3", nic -> nic.equals("eno1") ? List.of("10.0.0.7/24") : List.of())
            .read();

    assertThat(inv.hostname()).isEqualTo("node-7");
    assertThat(inv.machineId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(inv.smbios())
        .isEqualTo(
            new Inventory.Smbios(
                "Dell Inc.", "PowerEdge R650", null, "4c4c4544-0042-3010-8057-b4c04f4e3433"));
    assertThat(inv.firmware()).isEqualTo("uefi");
    assertThat(inv.os()).isEqualTo(new Inventory.Os("Ubuntu", "22.04", "5.15.0-91-generic"));
    assertThat(inv.cpu()).isEqualTo(new Inventory.Cpu("Xeon Test", 2, 4));
    assertThat(inv.memoryBytes()).isEqualTo(16303244L * 1024);
    assertThat(inv.disks())
        .containsExactly(
            new Inventory.Disk("sda", 625142448L * 512, false, "SAMSUNG MZ7L3480", null));
    assertThat(inv.nics())
        .containsExactly(
            new Inventory.Nic("eno1", "b4:96:91:aa:bb:cc", List.of("10.0.0.7/24"), 25000L, true),
            new Inventory.Nic("eno2", "b4:96:91:aa:bb:cd", List.of(), null, false));
    assertThat(inv.agentVersion()).isEqualTo("1.2.3");
  }

  @Test
  void whatCannotBeReadIsNullNeverInvented() {
    Inventory inv = new LinuxInventory(root, "1.2.3", nic -> List.of()).read();
    assertThat(inv.hostname()).isNull();
    assertThat(inv.machineId()).isNull();
    assertThat(inv.smbios().uuid()).isNull();
    assertThat(inv.firmware()).isNull();
    assertThat(inv.cpu()).isEqualTo(new Inventory.Cpu(null, null, null));
    assertThat(inv.memoryBytes()).isNull();
    assertThat(inv.disks()).isEmpty();
    assertThat(inv.nics()).isEmpty();
  }

  @Test
  void coresComeFromTheSysTopologyWhenCpuinfoHasNoCoreIds() throws IOException {
    file("proc/cpuinfo", "processor\t: 0\nprocessor\t: 1\nprocessor\t: 2\n");
    for (int i = 0; i < 3; i++) {
      file("sys/devices/system/cpu/cpu" + i + "/topology/physical_package_id", "0\n");
      file("sys/devices/system/cpu/cpu" + i + "/topology/core_id", i + "\n");
    }
    assertThat(new LinuxInventory(root, "x", n -> List.of()).read().cpu())
        .isEqualTo(new Inventory.Cpu(null, 3, 3));
  }

  @Test
  void thisMachineReportsItsRealProcessorsMemoryAndDisks() throws IOException {
    Inventory inv = new LinuxInventory(Path.of("/"), "test").read();
    long processorLines =
        Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("processor"))
            .count();
    assertThat(inv.cpu().threads()).isEqualTo((int) processorLines);
    assertThat(inv.cpu().threads())
        .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(inv.memoryBytes()).isGreaterThan(Runtime.getRuntime().maxMemory() / 4);
    try (var blocks = Files.list(Path.of("/sys/block"))) {
      long real =
          blocks
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("loop") && !n.startsWith("ram") && !n.startsWith("zram"))
              .filter(n -> !n.startsWith("dm-") && !n.startsWith("sr") && !n.startsWith("nbd"))
              .filter(n -> !n.startsWith("md") && !n.startsWith("fd"))
              .count();
      assertThat(inv.disks().size()).isLessThanOrEqualTo((int) real);
    }
    assertThat(inv.disks()).allSatisfy(d -> assertThat(d.sizeBytes()).isPositive());
  }

  private static String cpu(int processor, int physical, int core) {
    return "processor\t: "
        + processor
        + "\nmodel name\t: Xeon Test\nphysical id\t: "
        + physical
        + "\ncore id\t\t: "
        + core
        + "\n\n";
  }
}
