package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureInjectionTest {

  @Test
  void aStepFailsWhenItsIdIsNamedWithoutAHost() {
    FailureInjection f = new FailureInjection(List.of(FailStep.everywhere("install")));

    assertThat(f.fails("install", List.of("sim-r650-00001"))).isTrue();
    assertThat(f.fails("join", List.of("sim-r650-00001"))).isFalse();
    assertThat(f.fails("install-extra", List.of("sim-r650-00001"))).isFalse();
  }

  @Test
  void aStepNamedWithAHostFailsOnlyOnANodeGoingByThatNameIgnoringCase() {
    FailureInjection f =
        new FailureInjection(
            List.of(new FailStep("join", "edge-2"), new FailStep("check-nodes", "edge-1")));

    assertThat(f.fails("join", List.of("sim-r650-00002", "Edge-2"))).isTrue();
    assertThat(f.fails("join", List.of("sim-r650-00003", "edge-3"))).isFalse();
    assertThat(f.fails("check-nodes", List.of("sim-r650-00002", "edge-2"))).isFalse();
    assertThat(f.fails("check-nodes", List.of("EDGE-1"))).isTrue();
  }

  @Test
  void noStepFailsWhenNoneIsNamed() {
    assertThat(new FailureInjection(List.of()).fails("install", List.of("edge-1"))).isFalse();
  }

  @Test
  void aFailingStepNeedsAnIdAndANonBlankHost() {
    assertThatThrownBy(() -> new FailStep(" ", null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FailStep("join", "")).isInstanceOf(IllegalArgumentException.class);
    assertThat(new FailStep("join", "edge-2")).hasToString("join@edge-2");
  }
}
