package dev.easel.packs.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextFormatsTest {

  @Test
  void ipv6AcceptsTheTextFormsOfRfc4291() {
    for (String ok :
        new String[] {
          "::",
          "::1",
          "1::",
          "fd00::1",
          "2001:db8:0:0:0:0:2:1",
          "2001:DB8::8:800:200C:417A",
          "1:2:3:4:5:6:7::",
          "::ffff:192.0.2.128",
          "1:2:3:4:5:6:192.0.2.1",
          "64:ff9b::10.0.0.1"
        }) {
      assertThat(TextFormats.isIpv6(ok)).as(ok).isTrue();
    }
  }

  @Test
  void ipv6RefusesEverythingElseWithoutLookingNamesUp() {
    for (String bad :
        new String[] {
          "",
          ":",
          ":::",
          "1:::2",
          "1::2::3",
          "12345::",
          "1:2:3:4:5:6:7:8:9",
          "1:2:3:4:5:6:7",
          "1:2:3:4:5:6:7:8::",
          ":1:2:3:4:5:6:7",
          "1:2:3:4:5:6:7:",
          "g::1",
          "fe80::1%eth0",
          "[::1]",
          "localhost",
          "192.0.2.1",
          "::192.0.2.256",
          "1.2.3.4::"
        }) {
      assertThat(TextFormats.isIpv6(bad)).as(bad).isFalse();
    }
  }

  @Test
  void ipv4AndCidrAreStrictDottedQuads() {
    assertThat(TextFormats.isIpv4("0.0.0.0")).isTrue();
    assertThat(TextFormats.isIpv4("255.255.255.255")).isTrue();
    assertThat(TextFormats.isIpv4("01.2.3.4")).isFalse();
    assertThat(TextFormats.isIpv4("1.2.3")).isFalse();
    assertThat(TextFormats.isIpv4Cidr("10.0.0.0/0")).isTrue();
    assertThat(TextFormats.isIpv4Cidr("10.0.0.0/32")).isTrue();
    assertThat(TextFormats.isIpv4Cidr("10.0.0.0/33")).isFalse();
    assertThat(TextFormats.isIpv4Cidr("/8")).isFalse();
  }

  @Test
  void numbersBooleansVersionsAndBase64() {
    assertThat(TextFormats.isNumber("-3.25")).isTrue();
    assertThat(TextFormats.isNumber("1e3")).isFalse();
    assertThat(TextFormats.isBoolean("True")).isFalse();
    assertThat(TextFormats.isVersion("1.0.0-alpha+001")).isTrue();
    assertThat(TextFormats.isVersion("1.0")).isFalse();
    assertThat(TextFormats.isBase64("aGk=")).isTrue();
    assertThat(TextFormats.isBase64("aGk")).isFalse();
    assertThat(TextFormats.isBase64("aG k=")).isFalse();
  }
}
