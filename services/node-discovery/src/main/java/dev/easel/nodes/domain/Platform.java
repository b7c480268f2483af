package dev.easel.nodes.domain;

import java.util.Locale;

/** Where a node runs, as far as its inventory tells. */
public enum Platform {
  BAREMETAL("baremetal"),
  VSPHERE("vsphere"),
  MAAS("maas");

  private final String label;

  Platform(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * The platform an inventory shows. A VMware DMI vendor or product means vSphere. MAAS deploys
   * onto bare metal, so it cannot be seen from the machine; the agent or a registration token's
   * labels say so ({@code easel.dev/platform=maas}).
   */
  public static Platform of(Inventory inventory, String declared) {
    if (declared != null) {
      for (Platform p : values()) {
        if (p.label.equalsIgnoreCase(declared)) {
          return p;
        }
      }
    }
    Inventory.Smbios smbios = inventory.smbios();
    if (smbios != null) {
      String v =
          ((smbios.vendor() == null ? "" : smbios.vendor())
                  + " "
                  + (smbios.product() == null ? "" : smbios.product()))
              .toLowerCase(Locale.ROOT);
      if (v.contains("vmware")) {
        return VSPHERE;
      }
    }
    return BAREMETAL;
  }
}
