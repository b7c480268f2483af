package dev.easel.nodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.nodes.domain.Inventory.Cpu;
import dev.easel.nodes.domain.Inventory.Disk;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PreflightTest {

  private static final long GB = 1_000_000_000L;
  private static final long GIB = 1L << 30;

  private static Inventory machine(int threads, long memory, String firmware, Disk... disks) {
    return new Inventory(
        "n1",
        "m1",
        new Inventory.Smbios("Dell Inc.", "R650", "S1", "U1"),
        "amd64",
        firmware,
        new Inventory.Os("Ubuntu", "22.04", "6.8"),
        "0.1.0",
        new Cpu("Xeon", threads / 2, threads),
        memory,
        List.of(disks),
        List.of());
  }

  private static Map<String, Preflight.Check> checks(Preflight.Result r) {
    return r.checks().stream()
        .collect(Collectors.toMap(Preflight.Check::name, Function.identity()));
  }

  @Test
  void aMachineAtTheMinimumsPasses() {
    Preflight.Result r =
        Preflight.run(
            machine(
                8,
                16 * GIB,
                "uefi",
                new Disk("sda", 300 * GB, false, null, null),
                new Disk("sdb", 500 * GB, false, null, null)),
            true);
    assertThat(r.passed()).isTrue();
    assertThat(checks(r).get("storage-pool-disk").reason()).contains("sdb").contains("wiped");
  }

  @Test
  void aSixteenGibMachineThatReportsSlightlyLessStillPasses() {
    long memTotal = 16 * GIB - 300L * 1024 * 1024;
    assertThat(
            checks(
                    Preflight.run(
                        machine(
                            8,
                            memTotal,
                            "uefi",
                            new Disk("sda", 400 * GB, false, null, null),
                            new Disk("sdb", 1000 * GB, false, null, null)),
                        true))
                .get("memory")
                .passed())
        .isTrue();
  }

  @Test
  void eachShortfallFailsItsOwnCheckWithAReason() {
    Preflight.Result r =
        Preflight.run(
            machine(4, 8 * GIB, "bios", new Disk("sda", 1000 * GB, true, null, null)), false);
    assertThat(r.passed()).isFalse();
    Map<String, Preflight.Check> c = checks(r);
    assertThat(c.get("cpu").reason()).contains("4 CPUs").contains("at least 8");
    assertThat(c.get("memory").reason()).contains("8 GiB").contains("16 GiB");
    assertThat(c.get("os-disk").passed()).isTrue();
    assertThat(c.get("storage-pool-disk").reason()).contains("second disk");
    assertThat(c.get("firmware").reason()).contains("bios").contains("UEFI");
    assertThat(c.get("reachable").passed()).isFalse();
  }

  @Test
  void unknownFactsFailRatherThanPass() {
    Inventory blank =
        new Inventory(null, null, null, null, null, null, null, null, null, null, null);
    Preflight.Result r = Preflight.run(blank, true);
    assertThat(r.passed()).isFalse();
    assertThat(checks(r).get("cpu").reason()).contains("no CPU count");
  }

  @Test
  void derivedLabelsDescribeTheMachineAndVmwareMeansVsphere() {
    Inventory vm =
        new Inventory(
            "n2",
            "m2",
            new Inventory.Smbios("VMware, Inc.", "VMware7,1", null, null),
            "amd64",
            "uefi",
            null,
            null,
            new Cpu(null, 4, 8),
            32 * GIB,
            List.of(new Disk("sda", 300 * GB, false, null, null)),
            List.of());
    Platform platform = Platform.of(vm, null);
    assertThat(platform).isEqualTo(Platform.VSPHERE);
    assertThat(DerivedLabels.of(vm, platform))
        .containsEntry("easel.dev/arch", "amd64")
        .containsEntry("easel.dev/cores", "8")
        .containsEntry("easel.dev/memory-gib", "32")
        .containsEntry("easel.dev/platform", "vsphere")
        .containsEntry("easel.dev/firmware", "uefi")
        .containsEntry("easel.dev/disk-count", "1");
    assertThat(Platform.of(vm, "maas")).isEqualTo(Platform.MAAS);
  }
}
