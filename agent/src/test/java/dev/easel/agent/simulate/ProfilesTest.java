package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.inventory.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProfilesTest {

  @Test
  void theFirstFiveMachinesOfAFleetIncludeOnesThatFailPreflight() {
    List<String> firstFive = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      firstFive.add(Profiles.forIndex(i).key());
    }
    assertThat(firstFive).contains("small-vm", "bios-server", "vsphere-vm", "r650");
  }

  @Test
  void aSimulatedMachineHasTheSameInventoryEveryTime() {
    SimulatedNode.Identity id =
        new SimulatedNode.Identity(
            3, "dl360", "sim-dl360-00003", "ab", UUID.randomUUID(), null, null);
    Inventory a = Profiles.inventory(id, "v");
    Inventory b = Profiles.inventory(id, "v");
    assertThat(a).isEqualTo(b);
    assertThat(a.smbios().uuid()).isEqualTo(id.smbiosUuid().toString());
    assertThat(a.disks()).extracting(Inventory.Disk::rotational).contains(true);
    assertThat(a.cpu().threads()).isEqualTo(24);
  }
}
