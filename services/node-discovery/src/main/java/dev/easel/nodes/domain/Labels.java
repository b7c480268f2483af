package dev.easel.nodes.domain;

import java.util.Optional;

/** The rules a user label follows: Kubernetes label syntax, and no key Easel derives itself. */
public final class Labels {

  private static final String KEY = "([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?";
  private static final String VALUE = "([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?";

  private Labels() {}

  /**
   * Why a user may not set this label, if they may not.
   *
   * @param value the value, or null for a removal
   * @param allowDeclaredPlatform whether {@code easel.dev/platform} may be declared (a token may
   *     say a machine is a MAAS machine; an operator may not relabel what Easel derives)
   */
  public static Optional<String> problem(String key, String value, boolean allowDeclaredPlatform) {
    if (key == null || !key.matches(KEY) || key.length() > 316) {
      return Optional.of("'" + key + "' is not a valid label key");
    }
    if (DerivedLabels.isDerived(key)
        && !(allowDeclaredPlatform && key.equals(DerivedLabels.PREFIX + "platform"))) {
      return Optional.of("label " + key + " is derived by Easel and cannot be set");
    }
    if (value != null && !value.matches(VALUE)) {
      return Optional.of("'" + value + "' is not a valid value for label " + key);
    }
    return Optional.empty();
  }
}
