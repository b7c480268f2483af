package dev.easel.packs.domain;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Checks of text against the formats profile variables and schema placeholders share. Every check
 * is a pure function of the text: nothing here resolves names or touches the network.
 */
final class TextFormats {

  /** One dotted-quad octet, 0 to 255, without leading zeros. */
  static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

  static final String IPV4 = OCTET + "(?:\\." + OCTET + "){3}";

  static final String IPV4_CIDR = IPV4 + "/(?:3[0-2]|[12]?[0-9])";

  /** A decimal number: optional minus sign, digits, optional fraction. */
  static final String NUMBER = "-?[0-9]+(?:\\.[0-9]+)?";

  private static final String SEMVER_NUM = "(?:0|[1-9][0-9]{0,8})";
  private static final String SEMVER_ID = "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)";

  /** {@link SemVer}'s strict form, without capturing groups so it can sit inside a larger one. */
  static final String SEMVER =
      SEMVER_NUM
          + "\\."
          + SEMVER_NUM
          + "\\."
          + SEMVER_NUM
          + "(?:-"
          + SEMVER_ID
          + "(?:\\."
          + SEMVER_ID
          + ")*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?";

  private static final Pattern IPV4_P = Pattern.compile(IPV4);
  private static final Pattern IPV4_CIDR_P = Pattern.compile(IPV4_CIDR);
  private static final Pattern NUMBER_P = Pattern.compile(NUMBER);
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private TextFormats() {}

  static boolean isNumber(String s) {
    return s != null && s.length() <= 64 && NUMBER_P.matcher(s).matches();
  }

  static boolean isBoolean(String s) {
    return "true".equals(s) || "false".equals(s);
  }

  static boolean isIpv4(String s) {
    return s != null && s.length() <= 15 && IPV4_P.matcher(s).matches();
  }

  static boolean isIpv4Cidr(String s) {
    return s != null && s.length() <= 18 && IPV4_CIDR_P.matcher(s).matches();
  }

  static boolean isVersion(String s) {
    return SemVer.isValid(s);
  }

  /**
   * An IPv6 address in the text forms of RFC 4291 section 2.2: eight groups of one to four hex
   * digits, at most one {@code ::} standing for one or more zero groups, and optionally a dotted
   * IPv4 address in place of the last two groups. Zone indices and brackets are not addresses.
   */
  static boolean isIpv6(String s) {
    if (s == null || s.length() < 2 || s.length() > 45) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    int groups = 0;
    String[] parts = {head, tail};
    for (int p = 0; p < parts.length; p++) {
      String part = parts[p];
      if (part.isEmpty()) {
        continue;
      }
      String[] words = part.split(":", -1);
      for (int i = 0; i < words.length; i++) {
        String w = words[i];
        boolean lastOfAddress = (p == 1 || doubleColon < 0) && i == words.length - 1;
        if (lastOfAddress && w.indexOf('.') >= 0) {
          if (!isIpv4(w)) {
            return false;
          }
          groups += 2;
        } else if (HEX_GROUP.matcher(w).matches()) {
          groups += 1;
        } else {
          return false;
        }
      }
    }
    return doubleColon >= 0 ? groups <= 7 : groups == 8;
  }

  /** Standard base64 with padding, as Go's StdEncoding reads it; no line breaks. */
  static boolean isBase64(String s) {
    if (s == null || s.isEmpty() || s.length() % 4 != 0) {
      return false;
    }
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether the text is valid for a variable format; an unknown format accepts nothing. */
  static boolean isValid(String format, String value) {
    switch (format) {
      case "string":
        return true;
      case "number":
        return isNumber(value);
      case "boolean":
        return isBoolean(value);
      case "ipv4":
        return isIpv4(value);
      case "ipv4cidr":
        return isIpv4Cidr(value);
      case "ipv6":
        return isIpv6(value);
      case "version":
        return isVersion(value);
      case "base64":
        return isBase64(value);
      default:
        return false;
    }
  }

  /** What a format expects, for messages. */
  static String describe(String format) {
    switch (format) {
      case "number":
        return "a decimal number such as 42 or 1.5";
      case "boolean":
        return "true or false";
      case "ipv4":
        return "an IPv4 address such as 10.0.0.1";
      case "ipv4cidr":
        return "an IPv4 network such as 10.0.0.0/16";
      case "ipv6":
        return "an IPv6 address such as fd00::1";
      case "version":
        return "a semantic version such as 1.2.3";
      case "base64":
        return "base64 text";
      default:
        return "text";
    }
  }
}
