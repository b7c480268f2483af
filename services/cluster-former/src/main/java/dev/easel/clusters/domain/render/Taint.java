package dev.easel.clusters.domain.render;

import java.util.Objects;
import java.util.Set;

/**
 * A node taint, written as {@code key=value:effect} in the node pool settings.
 *
 * @param key the taint key; never blank
 * @param value the taint value; may be empty, and is then left out
 * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
 */
public record Taint(String key, String value, String effect) {

  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public Taint {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("a taint needs a key");
    }
    value = Objects.requireNonNullElse(value, "");
    if (!EFFECTS.contains(effect)) {
      throw new IllegalArgumentException(
          "taint "
              + key
              + ": effect must be NoSchedule, PreferNoSchedule or NoExecute, not '"
              + effect
              + "'");
    }
  }
}
