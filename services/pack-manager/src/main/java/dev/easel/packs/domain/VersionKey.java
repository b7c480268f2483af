package dev.easel.packs.domain;

import java.util.Locale;

/**
 * A text key whose byte order is the semantic version order, so storage can sort and page versions
 * with a plain index (under the "C" collation). A pre-release sorts before its release; numeric
 * pre-release identifiers sort numerically and before alphanumeric ones. Text that is not a
 * semantic version sorts after every version, by itself.
 */
public final class VersionKey {

  private VersionKey() {}

  public static String of(String version) {
    return SemVer.parse(version)
        .map(VersionKey::of)
        .orElse("~~" + (version == null ? "" : version));
  }

  public static String of(SemVer v) {
    StringBuilder b =
        new StringBuilder(
            String.format(Locale.ROOT, "%09d.%09d.%09d", v.major(), v.minor(), v.patch()));
    if (v.preRelease().isEmpty()) {
      return b.append('~').toString();
    }
    b.append('-');
    for (int i = 0; i < v.preRelease().size(); i++) {
      String id = v.preRelease().get(i);
      if (i > 0) {
        b.append('.');
      }
      if (id.chars().allMatch(Character::isDigit)) {
        b.append('0')
            .append(
                String.format(
                    Locale.ROOT,
                    "%019d",
                    Long.parseLong(id.length() > 18 ? id.substring(0, 18) : id)));
      } else {
        b.append('1').append(id);
      }
    }
    return b.toString();
  }
}
