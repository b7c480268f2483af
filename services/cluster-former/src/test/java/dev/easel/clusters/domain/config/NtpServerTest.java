package dev.easel.clusters.domain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NtpServerTest {

  @ParameterizedTest
  @ValueSource(strings = {"0.pool.ntp.org", "time", "ntp-1.Example.COM", "10.0.0.1", "a1.b2"})
  void acceptsHostNamesAndAddresses(String text) {
    assertThat(NtpServer.parse(text).host()).isEqualTo(text);
  }

  @Test
  void dropsOneTrailingDot() {
    assertThat(NtpServer.parse("pool.ntp.org.").host()).isEqualTo("pool.ntp.org");
  }

  @Test
  void tellsAddressesFromNames() {
    assertThat(NtpServer.parse("10.0.0.1").isAddress()).isTrue();
    assertThat(NtpServer.parse("pool.ntp.org").isAddress()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-pool.ntp.org",
        "pool-.ntp.org",
        "pool..ntp.org",
        "pool_ntp.org",
        "pool ntp.org",
        "ntp.org..",
        "10.0.0.256",
        "10.0.0",
        "fe80::1",
        "https://pool.ntp.org",
        " ",
        ""
      })
  void refusesWhatIsNeitherAHostNameNorAnAddress(String text) {
    assertThatThrownBy(() -> NtpServer.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesALabelLongerThan63Characters() {
    assertThat(NtpServer.parse("a".repeat(63) + ".org").host()).hasSize(67);
    assertThatThrownBy(() -> NtpServer.parse("a".repeat(64) + ".org"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesANameLongerThan253Characters() {
    String label = "a".repeat(63);
    String name253 = label + "." + label + "." + label + "." + "a".repeat(61);
    assertThat(NtpServer.parse(name253).host()).hasSize(253);
    assertThatThrownBy(() -> NtpServer.parse(name253 + "a"))
        .hasMessageContaining("at most 253 characters");
  }

  @Test
  void comparesNamesWithoutCase() {
    assertThat(NtpServer.parse("Pool.NTP.org").key())
        .isEqualTo(NtpServer.parse("pool.ntp.org").key());
  }
}
