package dev.easel.clusters.domain.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellTest {

  @Test
  void leavesPlainWordsAlone() {
    assertThat(Shell.quote("/etc/kubernetes/admin.conf")).isEqualTo("/etc/kubernetes/admin.conf");
    assertThat(Shell.quote("--set-string")).isEqualTo("--set-string");
    assertThat(Shell.quote("a=b,c:d@e%f+g")).isEqualTo("a=b,c:d@e%f+g");
  }

  @Test
  void singleQuotesAnythingTheShellWouldInterpret() {
    assertThat(Shell.quote("a b")).isEqualTo("'a b'");
    assertThat(Shell.quote("$(reboot)")).isEqualTo("'$(reboot)'");
    assertThat(Shell.quote("x;y|z&w")).isEqualTo("'x;y|z&w'");
    assertThat(Shell.quote("hostDevices[0]")).isEqualTo("'hostDevices[0]'");
    assertThat(Shell.quote("~root")).isEqualTo("'~root'");
    assertThat(Shell.quote("line\nbreak")).isEqualTo("'line\nbreak'");
    assertThat(Shell.quote("")).isEqualTo("''");
  }

  @Test
  void writesASingleQuoteAsCloseEscapedQuoteReopen() {
    assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(Shell.quote("'")).isEqualTo("''\\'''");
  }

  @Test
  void refusesTheNulCharacter() {
    assertThatThrownBy(() -> Shell.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void joinsQuotedArgumentsWithSpaces() {
    assertThat(Shell.join(List.of("echo", "it's", "ok"))).isEqualTo("echo 'it'\\''s' ok");
  }
}
