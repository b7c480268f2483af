package dev.easel.clusters.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4CidrTest {

  @Test
  void parsesANetwork() {
    Ipv4Cidr cidr = Ipv4Cidr.parseNetwork("100.64.0.0/18");

    assertThat(cidr.network()).isEqualTo(Ipv4.parse("100.64.0.0"));
    assertThat(cidr.prefix()).isEqualTo(18);
    assertThat(cidr.broadcast()).isEqualTo(Ipv4.parse("100.64.63.255"));
    assertThat(cidr).hasToString("100.64.0.0/18");
  }

  @Test
  void refusesANetworkWithHostBitsAndNamesTheNetworkMeant() {
    assertThatThrownBy(() -> Ipv4Cidr.parseNetwork("10.0.0.5/24"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host bits")
        .hasMessageContaining("10.0.0.0/24");
  }

  @Test
  void keepsTheAddressOfAnInterface() {
    Ipv4Cidr address = Ipv4Cidr.parseInterface("10.10.0.11/24");

    assertThat(address.address()).isEqualTo(Ipv4.parse("10.10.0.11"));
    assertThat(address.isNetwork()).isFalse();
    assertThat(address.networkCidr()).hasToString("10.10.0.0/24");
    assertThat(address).hasToString("10.10.0.11/24");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/08",
        "10.0.0.0/ 8",
        "10.0.0/8",
        "010.0.0.0/8",
        "10.0.0.0/8/8",
        "10.0.0.0/x",
        ""
      })
  void refusesMalformedCidrs(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parseInterface(text))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4Cidr.parseNetwork(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsTheWholeRangeOfPrefixes() {
    assertThat(Ipv4Cidr.parseNetwork("0.0.0.0/0").prefix()).isZero();
    assertThat(Ipv4Cidr.parseNetwork("10.0.0.7/32").prefix()).isEqualTo(32);
  }

  @Test
  void containsTheAddressesOfItsRangeOnly() {
    Ipv4Cidr cidr = Ipv4Cidr.parseNetwork("192.168.1.0/24");

    assertThat(cidr.contains(Ipv4.parse("192.168.1.0"))).isTrue();
    assertThat(cidr.contains(Ipv4.parse("192.168.1.255"))).isTrue();
    assertThat(cidr.contains(Ipv4.parse("192.168.2.0"))).isFalse();
    assertThat(cidr.contains(Ipv4.parse("192.168.0.255"))).isFalse();
  }

  @Test
  void aSlash32ContainsOnlyItsOwnAddress() {
    Ipv4Cidr host = Ipv4Cidr.parseInterface("10.0.0.7/32");

    assertThat(host.contains(Ipv4.parse("10.0.0.7"))).isTrue();
    assertThat(host.contains(Ipv4.parse("10.0.0.8"))).isFalse();
    assertThat(host.broadcast()).isEqualTo(host.network());
  }

  @Test
  void theWholeAddressSpaceContainsAndOverlapsEverything() {
    Ipv4Cidr all = Ipv4Cidr.parseNetwork("0.0.0.0/0");

    assertThat(all.contains(Ipv4.parse("255.255.255.255"))).isTrue();
    assertThat(all.contains(Ipv4.parse("0.0.0.0"))).isTrue();
    assertThat(all.overlaps(Ipv4Cidr.parseNetwork("100.64.0.0/18"))).isTrue();
    assertThat(Ipv4Cidr.parseNetwork("10.0.0.1/32").overlaps(all)).isTrue();
  }

  @Test
  void overlapsWhenOneNetworkNestsInTheOther() {
    Ipv4Cidr wide = Ipv4Cidr.parseNetwork("100.64.0.0/16");
    Ipv4Cidr narrow = Ipv4Cidr.parseNetwork("100.64.64.0/18");

    assertThat(wide.overlaps(narrow)).isTrue();
    assertThat(narrow.overlaps(wide)).isTrue();
    assertThat(wide.contains(narrow)).isTrue();
    assertThat(narrow.contains(wide)).isFalse();
  }

  @Test
  void adjacentNetworksDoNotOverlap() {
    Ipv4Cidr pods = Ipv4Cidr.parseNetwork("100.64.0.0/18");
    Ipv4Cidr services = Ipv4Cidr.parseNetwork("100.64.64.0/18");

    assertThat(pods.overlaps(services)).isFalse();
    assertThat(services.overlaps(pods)).isFalse();
  }

  @Test
  void handlesTheTopOfTheAddressSpaceWithoutSignTrouble() {
    Ipv4Cidr top = Ipv4Cidr.parseNetwork("224.0.0.0/3");

    assertThat(top.contains(Ipv4.parse("255.255.255.255"))).isTrue();
    assertThat(top.contains(Ipv4.parse("223.255.255.255"))).isFalse();
    assertThat(top.overlaps(Ipv4Cidr.parseNetwork("128.0.0.0/1"))).isTrue();
  }

  @Test
  void refusesAPrefixOutsideZeroTo32WhenBuilt() {
    assertThatThrownBy(() -> new Ipv4Cidr(0, 33)).isInstanceOf(IllegalArgumentException.class);
  }
}
