package dev.easel.nodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.nodes.domain.Plan.Applied;
import dev.easel.nodes.domain.Plan.Duplicate;
import dev.easel.nodes.domain.Plan.Refused;
import dev.easel.nodes.domain.Plan.State;
import dev.easel.nodes.domain.Plan.Step;
import dev.easel.nodes.domain.Plan.StepState;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {

  private static Plan queued(int retriesOfFirst) {
    return new Plan(
        State.QUEUED,
        List.of(
            new Step("a", retriesOfFirst, StepState.PENDING, 1),
            new Step("b", 0, StepState.PENDING, 1),
            new Step("c", 0, StepState.PENDING, 1)));
  }

  private static Plan applied(Plan.Outcome o) {
    assertThat(o).isInstanceOf(Applied.class);
    return ((Applied) o).to();
  }

  @Test
  void stepsSucceedInOrderAndTheLastOneCompletesThePlan() {
    Plan p = applied(queued(0).report("a", 1, true));
    assertThat(p.state()).isEqualTo(State.RUNNING);
    p = applied(p.report("b", 1, true));
    p = applied(p.report("c", 1, true));
    assertThat(p.state()).isEqualTo(State.COMPLETED);
    assertThat(p.steps()).extracting(Step::state).containsOnly(StepState.SUCCEEDED);
  }

  @Test
  void aFailedStepWithRetriesLeftRunsAgainAsTheNextAttempt() {
    Plan.Outcome o = queued(2).report("a", 1, false);
    assertThat(((Applied) o).willRetry()).isTrue();
    Plan p = ((Applied) o).to();
    assertThat(p.steps().get(0)).isEqualTo(new Step("a", 2, StepState.PENDING, 2));
    assertThat(p.report("a", 1, false))
        .as("attempt 1 reported again")
        .isInstanceOf(Duplicate.class);
    assertThat(p.report("a", 3, true)).isInstanceOf(Refused.class);
    p = applied(p.report("a", 2, true));
    assertThat(p.steps().get(0).state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aStepThatFailsForGoodFailsThePlanAndSkipsTheRest() {
    Plan p = applied(queued(0).report("a", 1, false));
    assertThat(p.state()).isEqualTo(State.FAILED);
    assertThat(p.steps())
        .extracting(Step::state)
        .containsExactly(StepState.FAILED, StepState.SKIPPED, StepState.SKIPPED);
  }

  @Test
  void aFinishedStepIsNeverReopenedAndTheSameResultTwiceIsADuplicate() {
    Plan p = applied(queued(0).report("a", 1, true));
    assertThat(p.report("a", 1, true)).isInstanceOf(Duplicate.class);
    Plan.Outcome contrary = p.report("a", 1, false);
    assertThat(contrary).isInstanceOf(Refused.class);
    assertThat(((Refused) contrary).code()).isEqualTo("step-finished");
  }

  @Test
  void aResultForALaterStepIsRefusedAsOutOfOrder() {
    Plan.Outcome o = queued(0).report("b", 1, true);
    assertThat(((Refused) o).code()).isEqualTo("step-out-of-order");
    assertThat(((Refused) queued(0).report("zz", 1, true)).code()).isEqualTo("step-not-found");
  }

  @Test
  void aCancelledPlanTakesNoResultsAndCancellingAFinishedPlanChangesNothing() {
    Plan cancelled = applied(queued(0).report("a", 1, true)).cancel();
    assertThat(cancelled.state()).isEqualTo(State.CANCELLED);
    assertThat(cancelled.steps())
        .extracting(Step::state)
        .containsExactly(StepState.SUCCEEDED, StepState.SKIPPED, StepState.SKIPPED);
    assertThat(((Refused) cancelled.report("b", 1, true)).code()).isEqualTo("plan-cancelled");
    assertThat(cancelled.report("a", 1, true)).isInstanceOf(Duplicate.class);

    Plan failed = applied(queued(0).report("a", 1, false));
    assertThat(failed.cancel()).isSameAs(failed);
  }
}
