package dev.easel.common.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {

  record Data(int n) {}

  @Test
  void readsAsAListOfStepsEachWithItsOwnPolicy() {
    SagaDefinition<Data> def =
        SagaDefinition.of("Demo", Data.class)
            .step("one")
            .invoke(d -> SagaCommand.to("x", "k", d))
            .compensateWithAll(d -> List.of())
            .retry(RetryPolicy.attempts(3))
            .timeout(Duration.ofSeconds(5))
            .step("two")
            .local(d -> new Data(d.n() + 1))
            .build();
    assertThat(def.steps()).extracting(SagaStep::name).containsExactly("one", "two");
    assertThat(def.step(0).hasCompensation()).isTrue();
    assertThat(def.step(0).retry().maxAttempts()).isEqualTo(3);
    assertThat(def.step(1).hasCompensation()).isFalse();
    assertThat(def.step(1).retry()).isEqualTo(RetryPolicy.none());
    assertThat(def.step(1).timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesAStepWithoutAnActionAndASagaWithoutSteps() {
    assertThatThrownBy(() -> SagaDefinition.of("Empty", Data.class).build())
        .hasMessageContaining("no steps");
    assertThatThrownBy(() -> SagaDefinition.of("Bad", Data.class).step("x").build())
        .hasMessageContaining("has no action");
  }

  @Test
  void backoffGrowsAndIsCapped() {
    RetryPolicy p = RetryPolicy.attempts(10).backoff(Duration.ofMillis(100));
    assertThat(p.backoffAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(p.backoffAfter(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(p.backoffAfter(20)).isEqualTo(Duration.ofSeconds(10));
  }
}
