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
    assertThat(run("run", "--server", "https://localhost:1").err())
        .contains("a registration token is required: --token-file PATH or EASEL_TOKEN");
    assertThat(run("run", "--server", "ftp://x", "--token", "t").err()).contains("https URL");
    assertThat(run("simulate", "--server", "https://x", "--token", "t", "--nodes", "0").err())
        .contains("--nodes takes 1 to 100000");
    assertThat(
            run(
                    "simulate",
                    "--server",
                    "https://x",
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
  void plainHttpIsRefusedUnlessAskedForByName() {
    Run refused = run("run", "--server", "http://10.0.0.5:8081", "--token", "t");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("plain http").contains("--insecure-http");
    assertThat(
            Main.server(
                Main.options(new String[] {"run", "--server", "http://h:1", "--insecure-http"})))
        .isEqualTo("http://h:1");
  }

  @Test
  void theTokenComesFromItsFileThenTheEnvironmentAndTheFlagOnlyWithAWarning(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("token");
    java.nio.file.Files.writeString(file, "esl_rt_fromfile\n");
    assertThat(
            Main.token(Main.options(new String[] {"run", "--token-file", file.toString()}), "env"))
        .isEqualTo("esl_rt_fromfile");
    assertThat(Main.token(Main.options(new String[] {"run", "--token", "flag"}), "esl_rt_env"))
        .isEqualTo("esl_rt_env");
    java.io.PrintStream err = System.err;
    ByteArrayOutputStream warned = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warned, true));
    try {
      assertThat(Main.token(Main.options(new String[] {"run", "--token", "flag"}), null))
          .isEqualTo("flag");
    } finally {
      System.setErr(err);
    }
    assertThat(warned.toString()).contains("warning: --token shows in the process list");
    assertThat(
            run("run", "--server", "https://x", "--token-file", dir.resolve("missing").toString())
                .err())
        .contains("cannot be read");
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
                    "https://x",
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
