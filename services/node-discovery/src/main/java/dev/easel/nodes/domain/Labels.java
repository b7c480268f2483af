package dev.easel.nodes.domain;

import java.util.Optional;

/**
 * The rules a user label follows: Kubernetes label syntax (an optional DNS-subdomain prefix of at
 * most 253 characters, a name and a value of at most 63), at most {@link #MAX_PER_NODE} on a node,
 * and no key Easel derives itself.
 */
public final class Labels {

  /** User labels a node carries at most; Kubernetes sets no limit, a list that stays readable. */
  public static final int MAX_PER_NODE = 64;

  private static final String PREFIX =
      "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*";
  private static final String NAME = "[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?";
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
    if (!validKey(key)) {
      return Optional.of(
          "'"
              + (key == null || key.length() <= 80 ? key : key.substring(0, 77) + "...")
              + "' is not a valid label key: an optional DNS subdomain of at most 253 characters"
              + " and '/', then 1 to 63 of A-Z a-z 0-9 - _ . starting and ending alphanumeric");
    }
    if (DerivedLabels.isDerived(key)
        && !(allowDeclaredPlatform && key.equals(DerivedLabels.PREFIX + "platform"))) {
      return Optional.of("label " + key + " is derived by Easel and cannot be set");
    }
    if (value != null && (value.length() > 63 || !value.matches(VALUE))) {
      return Optional.of("'" + value + "' is not a valid value for label " + key);
    }
    return Optional.empty();
  }

  /** Whether a key has Kubernetes label-key syntax. */
  public static boolean validKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 253 + 1 + 63) {
      return false;
    }
    int slash = key.indexOf('/');
    if (slash < 0) {
      return key.matches(NAME);
    }
    String prefix = key.substring(0, slash);
    return prefix.length() <= 253
        && prefix.matches(PREFIX)
        && key.substring(slash + 1).matches(NAME);
  }
}
