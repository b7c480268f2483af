package dev.easel.nodes.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What makes a machine the same machine when it registers again: its SMBIOS UUID, else its {@code
 * /etc/machine-id}. Host names and addresses change; these do not.
 */
public final class MachineIdentity {

  private MachineIdentity() {}

  /** The identity an inventory carries, or empty when it carries neither. */
  public static Optional<String> of(Inventory inventory) {
    if (inventory.smbios() != null && notBlank(inventory.smbios().uuid())) {
      return Optional.of("smbios:" + inventory.smbios().uuid().trim().toLowerCase(Locale.ROOT));
    }
    if (notBlank(inventory.machineId())) {
      return Optional.of("machine-id:" + inventory.machineId().trim());
    }
    return Optional.empty();
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
