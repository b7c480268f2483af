package dev.easel.clusters.domain.config;

/**
 * IPv4 addresses held as an {@code int}, most significant octet first. Parsing is strict: four
 * decimal octets of 0 to 255 without leading zeros, because {@code 010.0.0.1} is read as octal by
 * some tools and as decimal by others, and a node would end up with an address nobody meant.
 */
public final class Ipv4 {

  private Ipv4() {}

  /**
   * The address a dotted quad such as {@code 10.0.0.1} stands for.
   *
   * @throws IllegalArgumentException if the text is not a dotted quad
   */
  public static int parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("an IPv4 address is required");
    }
    int address = 0;
    int octets = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('.', start);
      if (end < 0) {
        end = text.length();
      }
      if (++octets > 4) {
        throw notAnAddress(text);
      }
      address = (address << 8) | octet(text, start, end);
      start = end + 1;
    }
    if (octets != 4) {
      throw notAnAddress(text);
    }
    return address;
  }

  /** Whether the text is a dotted quad that {@link #parse} accepts. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The dotted quad of an address, such as {@code 10.0.0.1}. */
  public static String format(int address) {
    return ((address >>> 24) & 0xff)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }

  private static int octet(String text, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 3 || (length > 1 && text.charAt(start) == '0')) {
      throw notAnAddress(text);
    }
    int value = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw notAnAddress(text);
      }
      value = value * 10 + (c - '0');
    }
    if (value > 255) {
      throw notAnAddress(text);
    }
    return value;
  }

  private static IllegalArgumentException notAnAddress(String text) {
    return new IllegalArgumentException(
        Texts.quote(text)
            + " is not an IPv4 address: four numbers of 0 to 255 separated by dots, without"
            + " leading zeros");
  }
}
