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

  @Test
  void secretFilesNeedPlainAbsolutePathsAndBoundedContents() {
    Plan.Creation ok =
        Plan.create(
            "p",
            List.of(
                new Plan.StepSpec(
                    "a",
                    "a",
                    "true",
                    null,
                    null,
                    30,
                    0,
                    java.util.Map.of("/etc/easel/token", "s3cret"))));
    assertThat(ok).isInstanceOf(Plan.Created.class);
    Plan.Creation bad =
        Plan.create(
            "p",
            List.of(
                new Plan.StepSpec(
                    "a",
                    "a",
                    "true",
                    null,
                    null,
                    30,
                    0,
                    java.util.Map.of(
                        "relative/token", "x",
                        "/etc/../root/.ssh/authorized_keys", "x",
                        "/etc/easel/", "x",
                        "/etc/big", "x".repeat(Plan.MAX_SECRET_CHARS + 1)))));
    assertThat(bad).isInstanceOf(Plan.Invalid.class);
    assertThat(String.join("\n", ((Plan.Invalid) bad).problems()))
        .contains("'relative/token' is not a plain absolute file path")
        .contains("'/etc/../root/.ssh/authorized_keys' is not a plain absolute file path")
        .contains("'/etc/easel/' is not a plain absolute file path")
        .contains("secretFiles./etc/big: 0 to 65536 characters");
  }

  @Test
  void aStepSpecNeverPrintsItsSecrets() {
    Plan.StepSpec spec =
        new Plan.StepSpec(
            "a", "a", "true", null, null, 30, 0, java.util.Map.of("/etc/token", "s3cret-value"));
    assertThat(spec.toString()).contains("/etc/token").doesNotContain("s3cret-value");
  }

  @Test
  void artifactsNeedPlainAbsolutePathsWithFileNamesUniqueInTheirStep() {
    Plan.Creation ok =
        Plan.create(
            "p",
            List.of(
                new Plan.StepSpec(
                    "a",
                    "a",
                    "kube-bench",
                    null,
                    null,
                    30,
                    0,
                    null,
                    List.of("/var/lib/easel/scan/cis.json", "/var/lib/easel/sbom/syft.json"))));
    assertThat(ok).isInstanceOf(Plan.Created.class);
    java.util.List<String> tooMany = new java.util.ArrayList<>();
    for (int i = 0; i <= Plan.MAX_ARTIFACTS; i++) {
      tooMany.add("/scan/" + i + ".json");
    }
    Plan.Creation bad =
        Plan.create(
            "p",
            List.of(
                new Plan.StepSpec(
                    "a",
                    "a",
                    "true",
                    null,
                    null,
                    30,
                    0,
                    null,
                    List.of(
                        "relative/cis.json",
                        "/var/lib/../../etc/shadow",
                        "/var/lib/easel/scan/",
                        "/a/report.json",
                        "/b/report.json")),
                new Plan.StepSpec("b", "b", "true", null, null, 30, 0, null, tooMany)));
    assertThat(bad).isInstanceOf(Plan.Invalid.class);
    assertThat(String.join("\n", ((Plan.Invalid) bad).problems()))
        .contains("'relative/cis.json' is not a plain absolute file path")
        .contains("'/var/lib/../../etc/shadow' is not a plain absolute file path")
        .contains("'/var/lib/easel/scan/' is not a plain absolute file path")
        .contains("steps[0].artifacts: more than one file is named 'report.json'")
        .contains("steps[1].artifacts: at most 16 files");
  }

  @Test
  void artifactsAreTakenOnlyForTheStepThatIsRunning() {
    Plan p = queued(0);
    assertThat(p.running("a")).isEmpty();
    assertThat(p.running("b")).get().extracting(Refused::code).isEqualTo("step-not-running");
    assertThat(p.running("zz")).get().extracting(Refused::code).isEqualTo("step-not-found");
    Plan after = applied(p.report("a", 1, true));
    assertThat(after.running("a")).get().extracting(Refused::code).isEqualTo("step-finished");
    assertThat(after.running("b")).isEmpty();
    assertThat(after.cancel().running("b"))
        .get()
        .extracting(Refused::code)
        .isEqualTo("plan-cancelled");
    Plan failed = applied(after.report("b", 1, false));
    assertThat(failed.running("c")).get().extracting(Refused::code).isEqualTo("plan-finished");
  }
}
