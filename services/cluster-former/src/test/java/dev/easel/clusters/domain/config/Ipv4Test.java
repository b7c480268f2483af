package dev.easel.clusters.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

  @Test
  void parsesADottedQuadMostSignificantOctetFirst() {
    assertThat(Ipv4.parse("10.0.0.1")).isEqualTo(0x0a000001);
    assertThat(Ipv4.parse("255.255.255.255")).isEqualTo(-1);
    assertThat(Ipv4.parse("0.0.0.0")).isZero();
  }

  @Test
  void formatsBackToTheSameText() {
    for (String text : new String[] {"10.0.0.1", "192.168.100.254", "255.255.255.255", "0.0.0.0"}) {
      assertThat(Ipv4.format(Ipv4.parse(text))).isEqualTo(text);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "010.0.0.1", "10.0.0.01", "10.0.0", "10.0.0.0.1", "10.0.0.256", "10..0.1", "10.0.0.1.",
        " 10.0.0.1", "10.0.0.1/32", "+1.0.0.1", "1e1.0.0.1", "a.b.c.d", "1000.0.0.1", ""
      })
  void refusesAnythingButFourPlainOctets(String text) {
    assertThat(Ipv4.isValid(text)).isFalse();
    assertThatThrownBy(() -> Ipv4.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNull() {
    assertThat(Ipv4.isValid(null)).isFalse();
  }
}
