package dev.easel.nodes.application;

import dev.easel.contracts.nodes.NodeFacts;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Platform;
import dev.easel.nodes.domain.Preflight;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts node events carry, so that a service placing a cluster can check networks, disks and
 * preflight from its own copy instead of asking node-discovery. Preflight here leaves reachability
 * out: that travels in its own events.
 */
final class Facts {

  private Facts() {}

  static NodeFacts of(Inventory inventory, Platform platform) {
    String os = Preflight.osDisk(inventory).orElse(null);
    List<NodeFacts.Disk> disks = new ArrayList<>();
    for (Inventory.Disk d : inventory.disks()) {
      if (d.name() == null) {
        continue;
      }
      String path = d.name().startsWith("/") ? d.name() : "/dev/" + d.name();
      disks.add(
          new NodeFacts.Disk(
              path, d.sizeBytes() == null ? 0 : d.sizeBytes(), d.name().equals(os), d.serial()));
    }
    List<String> addresses = new ArrayList<>();
    for (Inventory.Nic nic : inventory.nics()) {
      addresses.addAll(nic.ips());
    }
    Preflight.Result preflight = Preflight.run(inventory, true);
    List<String> failures =
        preflight.checks().stream()
            .filter(c -> !c.passed())
            .map(c -> c.name() + ": " + c.reason())
            .toList();
    return new NodeFacts(
        platform.label(),
        inventory.architecture(),
        inventory.cpus(),
        inventory.memoryBytes(),
        disks,
        addresses,
        preflight.passed(),
        failures);
  }
}
