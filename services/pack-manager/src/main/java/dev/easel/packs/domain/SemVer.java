package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict Semantic Versioning 2.0.0 version: {@code MAJOR.MINOR.PATCH[-pre][+build]}, no leading
 * zeros and no {@code v}. Pack and profile versions are these; ordering follows the spec's
 * precedence (build metadata is ignored, a pre-release sorts before its release).
 */
public record SemVer(int major, int minor, int patch, List<String> preRelease, String build)
    implements Comparable<SemVer> {

  private static final String NUM = "(0|[1-9]\\d{0,8})";
  private static final String ID = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
  private static final Pattern STRICT =
      Pattern.compile(
          NUM
              + "\\."
              + NUM
              + "\\."
              + NUM
              + "(?:-("
              + ID
              + "(?:\\."
              + ID
              + ")*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?");

  public SemVer {
    preRelease = List.copyOf(preRelease);
  }

  /** The version, or empty when the text is not strict semver. */
  public static Optional<SemVer> parse(String text) {
    if (text == null || text.length() > 128) {
      return Optional.empty();
    }
    Matcher m = STRICT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
    return Optional.of(
        new SemVer(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            pre,
            m.group(5)));
  }

  public static boolean isValid(String text) {
    return parse(text).isPresent();
  }

  @Override
  public int compareTo(SemVer o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    if (c == 0) {
      c = Integer.compare(patch, o.patch);
    }
    if (c != 0) {
      return c;
    }
    if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
      return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
    }
    for (int i = 0; i < Math.min(preRelease.size(), o.preRelease.size()); i++) {
      c = compareIdentifier(preRelease.get(i), o.preRelease.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(preRelease.size(), o.preRelease.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean an = a.chars().allMatch(Character::isDigit);
    boolean bn = b.chars().allMatch(Character::isDigit);
    if (an && bn) {
      return new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b));
    }
    if (an != bn) {
      return an ? -1 : 1; // numeric identifiers sort before alphanumeric ones
    }
    return a.compareTo(b);
  }

  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
    if (!preRelease.isEmpty()) {
      b.append('-').append(String.join(".", preRelease));
    }
    if (build != null) {
      b.append('+').append(build);
    }
    return b.toString();
  }

  /**
   * A bound of a dependency constraint, which may name only a major or a major and a minor version,
   * as Palette's packs do ({@code minVersion: "1.27"}).
   *
   * @param parts the given numbers, one to three
   */
  public record Partial(List<Integer> parts) {

    private static final Pattern FORM =
        Pattern.compile(NUM + "(?:\\." + NUM + "(?:\\." + NUM + ")?)?");

    public Partial {
      parts = List.copyOf(parts);
    }

    /** The bound, or empty when the text is neither a version nor a partial one. */
    public static Optional<Partial> parse(String text) {
      if (text == null) {
        return Optional.empty();
      }
      String t = text.trim();
      Optional<SemVer> full = SemVer.parse(t);
      if (full.isPresent()) {
        return Optional.of(
            new Partial(List.of(full.get().major, full.get().minor, full.get().patch)));
      }
      Matcher m = FORM.matcher(t);
      if (!m.matches()) {
        return Optional.empty();
      }
      List<Integer> p = new ArrayList<>();
      for (int g = 1; g <= 3; g++) {
        if (m.group(g) != null) {
          p.add(Integer.parseInt(m.group(g)));
        }
      }
      return Optional.of(new Partial(p));
    }

    /** As a minimum: whether {@code v} is at least this; {@code 1.27} admits 1.27.0 and after. */
    public boolean admitsAsMinimum(SemVer v) {
      return compareGiven(v) <= 0;
    }

    /** As a maximum: whether {@code v} is at most this; {@code 1.27} admits every 1.27.x. */
    public boolean admitsAsMaximum(SemVer v) {
      return compareGiven(v) >= 0;
    }

    /** This bound against the version, on the parts the bound gives. */
    private int compareGiven(SemVer v) {
      int[] theirs = {v.major, v.minor, v.patch};
      for (int i = 0; i < parts.size(); i++) {
        int c = Integer.compare(parts.get(i), theirs[i]);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    @Override
    public String toString() {
      return String.join(".", parts.stream().map(String::valueOf).toList());
    }
  }
}
