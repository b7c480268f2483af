package dev.easel.compliance.adapters.out.persistence;

import java.util.Comparator;

/**
 * Semantic version order, lenient about what registries actually publish: a leading {@code v} and
 * build metadata ({@code +...}) are ignored, missing parts count as 0 ({@code 1.2} is {@code
 * 1.2.0}), dot parts compare as numbers, and a pre-release ({@code 1.2.0-rc.1}) is lower than its
 * release. Pre-release identifiers compare as SemVer 2.0.0 says: numbers numerically and below
 * words, words lexically, and a shorter list of equal identifiers first.
 */
final class VersionOrder implements Comparator<String> {

  static final VersionOrder INSTANCE = new VersionOrder();

  private VersionOrder() {}

  @Override
  public int compare(String a, String b) {
    String[] x = split(a);
    String[] y = split(b);
    int c = compareCore(x[0], y[0]);
    if (c != 0) {
      return c;
    }
    if (x[1] == null || y[1] == null) {
      // A release is above its pre-releases.
      return x[1] == null ? (y[1] == null ? 0 : 1) : -1;
    }
    return comparePreRelease(x[1], y[1]);
  }

  /** The core ({@code 1.2.3}) and the pre-release ({@code rc.1}, or null). */
  private static String[] split(String version) {
    String v = version == null ? "" : version.trim();
    if (v.startsWith("v") || v.startsWith("V")) {
      v = v.substring(1);
    }
    int plus = v.indexOf('+');
    if (plus >= 0) {
      v = v.substring(0, plus);
    }
    int dash = v.indexOf('-');
    return dash >= 0
        ? new String[] {v.substring(0, dash), v.substring(dash + 1)}
        : new String[] {v, null};
  }

  private static int compareCore(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      int c = compareNumbers(p, q);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int comparePreRelease(String a, String b) {
    String[] x = a.split("\\.", -1);
    String[] y = b.split("\\.", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      boolean xn = numeric(x[i]);
      boolean yn = numeric(y[i]);
      int c;
      if (xn && yn) {
        c = compareNumbers(x[i], y[i]);
      } else if (xn || yn) {
        c = xn ? -1 : 1;
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  /**
   * Digits compared as numbers of any length; a part that is not one sorts below those that are.
   */
  private static int compareNumbers(String p, String q) {
    boolean pn = numeric(p);
    boolean qn = numeric(q);
    if (!pn || !qn) {
      return pn == qn ? p.compareTo(q) : (pn ? 1 : -1);
    }
    String a = stripZeros(p);
    String b = stripZeros(q);
    return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
  }

  private static boolean numeric(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String stripZeros(String s) {
    int i = 0;
    while (i < s.length() - 1 && s.charAt(i) == '0') {
      i++;
    }
    return s.substring(i);
  }
}
