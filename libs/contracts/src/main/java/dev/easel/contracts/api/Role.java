package dev.easel.contracts.api;

import java.util.Locale;
import java.util.Optional;

/** What an operator may do. Each role grants everything the roles before it grant. */
public enum Role {
  /** Reads. */
  VIEWER,
  /** Also manages nodes, clusters, packs, profiles and scans. */
  OPERATOR,
  /** Also manages users, tokens, registries and secrets. */
  ADMIN;

  /** Whether someone with this role may do what {@code needed} allows. */
  public boolean grants(Role needed) {
    return compareTo(needed) >= 0;
  }

  /**
   * The role's name in tokens, tables and requests: {@code viewer}, {@code operator}, {@code
   * admin}.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> of(String id) {
    if (id == null) {
      return Optional.empty();
    }
    for (Role r : values()) {
      if (r.id().equals(id.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
