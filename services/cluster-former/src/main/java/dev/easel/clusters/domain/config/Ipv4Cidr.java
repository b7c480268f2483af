package dev.easel.clusters.domain.config;

/**
 * An IPv4 address with a prefix length, either a network such as {@code 100.64.0.0/18} or an
 * interface address such as {@code 10.10.0.11/24}, which names both the host and the network it
 * sits on.
 *
 * @param address the address as written; for a network its host bits are zero
 * @param prefix the number of network bits, 0 to 32
 */
public record Ipv4Cidr(int address, int prefix) {

  public Ipv4Cidr {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("a prefix length is 0 to 32, not " + prefix);
    }
  }

  /**
   * A network in CIDR notation. Host bits must be zero: {@code 10.0.0.5/24} is refused, because a
   * typo in a network is more likely than a wish for {@code 10.0.0.0/24}.
   *
   * @throws IllegalArgumentException if the text is not a network in CIDR notation
   */
  public static Ipv4Cidr parseNetwork(String text) {
    Ipv4Cidr cidr = parse(text);
    if (!cidr.isNetwork()) {
      throw new IllegalArgumentException(
          Texts.quote(text)
              + " has host bits set; the network it lies in is "
              + cidr.networkCidr());
    }
    return cidr;
  }

  /**
   * An interface address in CIDR notation, such as {@code 10.10.0.11/24}; the address is kept.
   *
   * @throws IllegalArgumentException if the text is not an address with a prefix length
   */
  public static Ipv4Cidr parseInterface(String text) {
    return parse(text);
  }

  private static Ipv4Cidr parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a CIDR such as 10.0.0.0/24 is required");
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          Texts.quote(text) + " has no prefix length; write it as in 10.0.0.0/24");
    }
    int address;
    try {
      address = Ipv4.parse(text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          Texts.quote(text) + " is not a CIDR: " + e.getMessage(), e);
    }
    return new Ipv4Cidr(address, prefixOf(text, text.substring(slash + 1)));
  }

  private static int prefixOf(String text, String digits) {
    boolean wellFormed =
        !digits.isEmpty()
            && digits.length() <= 2
            && !(digits.length() > 1 && digits.charAt(0) == '0')
            && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    int prefix = wellFormed ? Integer.parseInt(digits) : -1;
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException(
          Texts.quote(text) + " is not a CIDR: the prefix length is a number of 0 to 32");
    }
    return prefix;
  }

  /** The network bits set: {@code 255.255.255.0} for a /24, as an int. */
  public int mask() {
    // A shift by 32 is a shift by 0 in Java, so /0 needs its own case.
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The first address of the network, with the host bits cleared. */
  public int network() {
    return address & mask();
  }

  /** The last address of the network, with the host bits set. */
  public int broadcast() {
    return network() | ~mask();
  }

  /** The network this address lies in: {@code 10.10.0.0/24} for {@code 10.10.0.11/24}. */
  public Ipv4Cidr networkCidr() {
    return new Ipv4Cidr(network(), prefix);
  }

  /** Whether the host bits are zero, as they are in a network. */
  public boolean isNetwork() {
    return address == network();
  }

  /** Whether the address lies in this network. */
  public boolean contains(int candidate) {
    return (candidate & mask()) == network();
  }

  /** Whether every address of the other network lies in this one. */
  public boolean contains(Ipv4Cidr other) {
    return other.prefix >= prefix && contains(other.network());
  }

  /** Whether the two networks share an address; CIDR blocks either nest or are disjoint. */
  public boolean overlaps(Ipv4Cidr other) {
    return contains(other) || other.contains(this);
  }

  /** The address written as {@code a.b.c.d/n}. */
  @Override
  public String toString() {
    return Ipv4.format(address) + "/" + prefix;
  }
}
