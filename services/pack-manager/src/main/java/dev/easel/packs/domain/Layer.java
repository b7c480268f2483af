package dev.easel.packs.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * A profile's layers, in stack order: an infrastructure profile holds one of each of the first
 * four.
 */
public enum Layer {
  OS,
  K8S,
  CNI,
  CSI,
  ADDON;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Layer> of(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (Layer l : values()) {
      if (l.wire().equals(text)) {
        return Optional.of(l);
      }
    }
    return Optional.empty();
  }
}
