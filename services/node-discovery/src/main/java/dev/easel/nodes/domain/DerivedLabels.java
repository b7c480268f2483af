package dev.easel.nodes.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Labels Easel derives from the inventory, under {@code easel.dev/}. They sit beside user labels
 * and make selectors such as {@code easel.dev/cores>=8} possible.
 */
public final class DerivedLabels {

  public static final String PREFIX = "easel.dev/";
  private static final long GIB = 1L << 30;

  private DerivedLabels() {}

  public static Map<String, String> of(Inventory inv, Platform platform) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (inv.architecture() != null) {
      labels.put(PREFIX + "arch", inv.architecture());
    }
    Integer cores = inv.cpus();
    if (cores != null) {
      labels.put(PREFIX + "cores", String.valueOf(cores));
    }
    if (inv.memoryBytes() != null) {
      labels.put(
          PREFIX + "memory-gib", String.valueOf(Math.round((double) inv.memoryBytes() / GIB)));
    }
    labels.put(PREFIX + "platform", platform.label());
    if (inv.firmware() != null) {
      labels.put(PREFIX + "firmware", inv.firmware());
    }
    labels.put(PREFIX + "disk-count", String.valueOf(inv.disks().size()));
    return labels;
  }

  /** Whether a key is Easel's to set; users may not set or remove these. */
  public static boolean isDerived(String key) {
    return key.startsWith(PREFIX);
  }
}
