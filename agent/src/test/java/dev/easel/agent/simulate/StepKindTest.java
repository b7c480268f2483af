package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepKindTest {

  @Test
  void aStepsKindIsReadFromTheIdClusterFormerGivesIt() {
    assertThat(StepKind.of("install")).isEqualTo(StepKind.INSTALL);
    assertThat(StepKind.of("join")).isEqualTo(StepKind.JOIN);
    assertThat(StepKind.of("layer-cni")).isEqualTo(StepKind.APPLY);
    assertThat(StepKind.of("layer-")).isEqualTo(StepKind.APPLY);
    assertThat(StepKind.of("check-nodes")).isEqualTo(StepKind.HEALTH);
    assertThat(StepKind.of("fetch-kubeconfig")).isEqualTo(StepKind.KUBECONFIG);
    assertThat(StepKind.of("reset-kubeadm")).isEqualTo(StepKind.RESET);
    assertThat(StepKind.of("reset-kairos")).isEqualTo(StepKind.RESET);
  }

  @Test
  void anyOtherStepIsOfTheDefaultKind() {
    assertThat(StepKind.of("report-inventory")).isEqualTo(StepKind.DEFAULT);
    assertThat(StepKind.of("installer")).isEqualTo(StepKind.DEFAULT);
    assertThat(StepKind.of("Install")).isEqualTo(StepKind.DEFAULT);
    assertThat(StepKind.of(null)).isEqualTo(StepKind.DEFAULT);
  }

  @Test
  void kindsAreNamedOnTheCommandLineInLowerCase() {
    assertThat(StepKind.HEALTH.key()).isEqualTo("health");
    assertThat(StepKind.byKey("kubeconfig")).contains(StepKind.KUBECONFIG);
    assertThat(StepKind.byKey("HEALTH")).isEmpty();
    assertThat(StepKind.byKey("check-nodes")).isEmpty();
  }
}
