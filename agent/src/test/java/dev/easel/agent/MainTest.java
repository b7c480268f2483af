package dev.easel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.simulate.FailStep;
import dev.easel.agent.simulate.StepKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
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

  @Test
  void stepLatencyTakesOneRangeForEveryStep() {
    Main.StepLatency l = Main.stepLatency("200ms..2s");

    assertThat(l.min()).isEqualTo(Duration.ofMillis(200));
    assertThat(l.max()).isEqualTo(Duration.ofSeconds(2));
    assertThat(l.perKind()).isEmpty();
  }

  @Test
  void stepLatencyTakesALatencyPerKindOfStepAndTheDefaultRangeForTheRest() {
    Main.StepLatency l =
        Main.stepLatency("install=2s, join=1s,apply=500ms,health=100ms,default=50ms..200ms");

    assertThat(l.min()).isEqualTo(Duration.ofMillis(50));
    assertThat(l.max()).isEqualTo(Duration.ofMillis(200));
    assertThat(l.perKind())
        .containsOnly(
            Map.entry(StepKind.INSTALL, Duration.ofSeconds(2)),
            Map.entry(StepKind.JOIN, Duration.ofSeconds(1)),
            Map.entry(StepKind.APPLY, Duration.ofMillis(500)),
            Map.entry(StepKind.HEALTH, Duration.ofMillis(100)));
    assertThat(Main.stepLatency("kubeconfig=0ms,reset=3s").min())
        .as("the default range when none is given")
        .isEqualTo(Duration.ofMillis(200));
    assertThat(Main.stepLatency("install=2s,100ms..300ms").max()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aBadStepLatencyIsAUsageErrorNamingTheBadPart() {
    assertThat(simulateWith("--step-latency", "install=2s,frob=1s").err())
        .contains("--step-latency: in 'frob=1s': 'frob' is no kind of step")
        .contains("install, join, apply, health, kubeconfig, reset, default");
    assertThat(simulateWith("--step-latency", "install=2x").err())
        .contains("in 'install=2x': '2x' is not a duration");
    assertThat(simulateWith("--step-latency", "join=1s..2s").err())
        .contains("in 'join=1s..2s': only default takes a range");
    assertThat(simulateWith("--step-latency", "join=1s,join=2s").err())
        .contains("join is given twice");
    assertThat(simulateWith("--step-latency", "join=1s,,health=1s").err())
        .contains("in '': it is empty");
    assertThat(simulateWith("--step-latency", "default=2s..1s").exit()).isEqualTo(2);
  }

  @Test
  void failStepTakesStepsToFailEverywhereOrOnOneHost() {
    assertThat(Main.failSteps("install, join@edge-2,check-nodes@edge-1"))
        .containsExactly(
            FailStep.everywhere("install"),
            new FailStep("join", "edge-2"),
            new FailStep("check-nodes", "edge-1"));
  }

  @Test
  void aBadFailStepIsAUsageErrorNamingTheBadPart() {
    Run r = simulateWith("--fail-step", "install,@edge-1");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--fail-step: '@edge-1' is not STEP or STEP@HOSTNAME");
    assertThat(simulateWith("--fail-step", "join@").err()).contains("'join@' is not STEP");
    assertThat(simulateWith("--fail-step", "join@a@b").err()).contains("'join@a@b' is not STEP");
    assertThat(simulateWith("--fail-step", "install,").err()).contains("'' is not STEP");
  }

  @Test
  void theUsageTellsOfTheNewSimulatorOptions() {
    assertThat(Main.USAGE)
        .contains("[--step-latency 200ms..2s | KIND=LATENCY,...]")
        .contains("[--fail-step STEP[@HOSTNAME],...]");
  }

  private static Run simulateWith(String option, String value) {
    return run("simulate", "--server", "https://x", "--token", "t", "--nodes", "1", option, value);
  }
}
