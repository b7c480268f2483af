package dev.easel.packs.domain;

import java.util.Optional;

/**
 * What a cluster profile holds: an infrastructure stack, add-ons only, or both ("cluster" in
 * Palette's API, "Full" in its UI).
 */
public enum ProfileType {
  INFRA("infra"),
  ADD_ON("add-on"),
  FULL("full");

  private final String wire;

  ProfileType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Optional<ProfileType> of(String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (ProfileType t : values()) {
      if (t.wire.equals(text)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
