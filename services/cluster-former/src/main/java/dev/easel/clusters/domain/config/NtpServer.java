package dev.easel.clusters.domain.config;

import java.util.Locale;

/**
 * An NTP server as systemd-timesyncd takes it: a host name or an IPv4 address.
 *
 * @param host the name or address as given, without a trailing dot
 */
public record NtpServer(String host) {

  /** timesyncd reads one line of names; more servers than this add nothing but start-up delay. */
  public static final int MAX_SERVERS = 8;

  /** RFC 1035: at most 253 characters written out, without the trailing dot. */
  public static final int MAX_NAME_LENGTH = 253;

  private static final int MAX_LABEL_LENGTH = 63;

  public NtpServer {
    if (host == null) {
      throw new IllegalArgumentException("an NTP server is required");
    }
  }

  /**
   * A host name of RFC 1123 labels, such as {@code 0.pool.ntp.org}, or an IPv4 address. One
   * trailing dot is accepted and dropped. A name made of digits and dots only must be an address:
   * {@code 10.0.0.256} is a typo, not a name.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static NtpServer parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an NTP server is required");
    }
    String host = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      Ipv4.parse(host);
      return new NtpServer(host);
    }
    if (host.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "an NTP server name is at most " + MAX_NAME_LENGTH + " characters");
    }
    for (String label : host.split("\\.", -1)) {
      if (!isLabel(label)) {
        throw new IllegalArgumentException(
            Texts.quote(text)
                + " is neither an IPv4 address nor a host name: each part between dots is 1 to "
                + MAX_LABEL_LENGTH
                + " letters, digits or '-', and does not start or end with '-'");
      }
    }
    return new NtpServer(host);
  }

  /** Whether the server is given by address rather than by name. */
  public boolean isAddress() {
    return Ipv4.isValid(host);
  }

  /** The form two entries are compared in: names are case-insensitive. */
  public String key() {
    return host.toLowerCase(Locale.ROOT);
  }

  private static boolean isLabel(String label) {
    if (label.isEmpty()
        || label.length() > MAX_LABEL_LENGTH
        || label.charAt(0) == '-'
        || label.charAt(label.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
