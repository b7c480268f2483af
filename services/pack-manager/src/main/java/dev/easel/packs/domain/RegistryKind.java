package dev.easel.packs.domain;

import java.util.Locale;
import java.util.Optional;

/** The appliance's own registry (at most one), or a registry the operator runs elsewhere. */
public enum RegistryKind {
  INTERNAL,
  EXTERNAL;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<RegistryKind> of(String text) {
    for (RegistryKind k : values()) {
      if (k.wire().equals(text)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
