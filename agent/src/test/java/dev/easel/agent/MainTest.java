package dev.easel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MainTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true));
    System.setErr(new PrintStream(e, true));
    try {
      return new Run(Main.run(args), o.toString(), e.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhatIsWrong() {
    assertThat(run("frobnicate").err()).contains("unknown command 'frobnicate'");
    assertThat(run("frobnicate").exit()).isEqualTo(2);
    assertThat(run("run", "--server", "http://localhost:1").err()).contains("--token is required");
    assertThat(run("run", "--server", "ftp://x", "--token", "t").err()).contains("http(s) URL");
    assertThat(run("simulate", "--server", "http://x", "--token", "t", "--nodes", "0").err())
        .contains("--nodes takes 1 to 100000");
    assertThat(
            run(
                    "simulate",
                    "--server",
                    "http://x",
                    "--token",
                    "t",
                    "--nodes",
                    "2",
                    "--step-latency",
                    "2s..1s")
                .err())
        .contains("below the minimum");
    assertThat(run("inventory", "--bogus", "1").err()).contains("unknown option --bogus");
    assertThat(run("run", "--server").err()).contains("needs a value");
  }

  @Test
  void inventoryPrintsJsonOfThisMachine() {
    Run r = run("inventory");
    assertThat(r.exit()).isZero();
    assertThat(Json.MAPPER.readTree(r.out()).get("cpu").get("threads").asInt()).isPositive();
  }

  @Test
  void durationsAndRangesParse() {
    assertThat(Main.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Main.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Main.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Main.range("200ms..2s"))
        .containsExactly(Duration.ofMillis(200), Duration.ofSeconds(2));
    assertThat(
            run(
                    "simulate",
                    "--server",
                    "http://x",
                    "--token",
                    "t",
                    "--nodes",
                    "1",
                    "--step-latency",
                    "-1s")
                .exit())
        .isEqualTo(2);
  }
}
