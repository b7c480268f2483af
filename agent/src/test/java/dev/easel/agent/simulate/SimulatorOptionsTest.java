package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

  private static Simulator.Options options() {
    return new Simulator.Options(
        "https://localhost:1",
        "token",
        3,
        null,
        Duration.ofMillis(200),
        Duration.ofMillis(300),
        0.0,
        null,
        true,
        8,
        null);
  }

  @Test
  void optionsWithoutKindsOrFailingStepsDrawEveryStepsLatencyFromTheRange() {
    Simulator.Options o = options();
    SplittableRandom random = new SplittableRandom(1);

    assertThat(o.stepLatencies()).isEmpty();
    assertThat(o.failSteps()).isEmpty();
    for (StepKind kind : StepKind.values()) {
      assertThat(o.latencyMillis(kind, random)).isBetween(200L, 300L);
    }
  }

  @Test
  void aKindWithALatencyOfItsOwnTakesItAndTheOthersTheRange() {
    Simulator.Options o =
        options()
            .withStepLatencies(
                Map.of(StepKind.INSTALL, Duration.ofSeconds(2), StepKind.HEALTH, Duration.ZERO))
            .withFailSteps(List.of(FailStep.everywhere("join")));
    SplittableRandom random = new SplittableRandom(1);

    assertThat(o.latencyMillis(StepKind.INSTALL, random)).isEqualTo(2000);
    assertThat(o.latencyMillis(StepKind.HEALTH, random)).isZero();
    assertThat(o.latencyMillis(StepKind.JOIN, random)).isBetween(200L, 300L);
    assertThat(o.failSteps()).containsExactly(FailStep.everywhere("join"));
    assertThat(o.stepLatencyMin()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aVeleroBackupTakesFourSecondsUnlessTheOptionsSayOtherwiseAndZeroIsAtOnce() {
    assertThat(options().veleroDuration()).isEqualTo(SimulatedTools.VELERO_DURATION);
    assertThat(SimulatedTools.VELERO_DURATION).isEqualTo(Duration.ofSeconds(4));

    Simulator.Options instant =
        options().withVeleroDuration(Duration.ZERO).withFailSteps(List.of());

    assertThat(instant.veleroDuration()).isZero();
  }
}
