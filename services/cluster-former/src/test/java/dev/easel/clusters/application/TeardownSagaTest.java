package dev.easel.clusters.application;

import static dev.easel.clusters.application.Formations.CLUSTER_ID;
import static dev.easel.clusters.application.Formations.CONTROL_PLANE;
import static dev.easel.clusters.application.Formations.INIT;
import static dev.easel.clusters.application.Formations.RESERVATION;
import static dev.easel.clusters.application.Formations.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.formation.Teardown;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaStatus;
import dev.easel.common.saga.testing.SagaScenario;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.saga.SagaStepFailed;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The deletion saga's definition, step by step, with no broker and no database. */
class TeardownSagaTest {

  private static final FormationSaga.Timeouts TIMEOUTS = FormationSaga.Timeouts.defaults();
  private static final SagaDefinition<Teardown> TEARDOWN =
      TeardownSaga.definition(Formations.SEALING, TIMEOUTS);
  private static final UUID SECOND_WORKER = UUID.fromString("00000000-0000-4000-8000-0000000000b2");
  private static final Instant AT = Instant.parse("2026-01-01T00:10:00Z");

  @Test
  void resetsWorkersThenControlPlanesThenTheInitNodeThenFreesAndReleasesThem() {
    SagaScenario.given(TEARDOWN, teardown(false))
        .expectCommand(RunPlan.class, reset(WORKER))
        .to(FormationSaga.NODES)
        .reply(finished(WORKER))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT))
        .expectCommand(
            LeaveCluster.class,
            l ->
                l.clusterId().equals(CLUSTER_ID.toString())
                    && l.nodeIds().equals(List.of(WORKER, CONTROL_PLANE, INIT))
                    && l.resetSteps() == null
                    && !l.needsReset())
        .to(FormationSaga.NODES)
        .replySucceeded()
        .expectCommand(
            ReleaseNodes.class,
            r ->
                r.reservationId().equals(RESERVATION)
                    && r.nodeIds().equals(List.of(WORKER, CONTROL_PLANE, INIT)))
        .to(FormationSaga.NODES)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void theNodesOfOneRoleAreResetTogetherAndTheNextRoleWaitsForAllOfThem() {
    SagaScenario<Teardown> s =
        SagaScenario.given(
                TEARDOWN,
                new Teardown(
                    CLUSTER_ID,
                    List.of(WORKER, SECOND_WORKER),
                    List.of(CONTROL_PLANE),
                    INIT,
                    false))
            .expectCommand(RunPlan.class, reset(WORKER))
            .reply(finished(WORKER))
            .expectCommand(RunPlan.class, reset(SECOND_WORKER))
            .expectNoMoreCommands()
            .reply(finished(SECOND_WORKER))
            .expectCommand(RunPlan.class, reset(CONTROL_PLANE));

    assertThat(s.sent().stream().map(SagaCommand::key).toList())
        .containsExactly(WORKER.toString(), SECOND_WORKER.toString(), CONTROL_PLANE.toString());
  }

  @Test
  void aResetIsTheNodesResetPlanForTheResetTimeout() {
    SagaScenario<Teardown> s =
        SagaScenario.given(TEARDOWN, teardown(false)).expectCommand(RunPlan.class, reset(WORKER));

    RunPlan plan = (RunPlan) s.sent().get(0).command();
    assertThat(plan.answersWhenFinished()).isTrue();
    assertThat(plan.owner()).isEqualTo("cluster " + CLUSTER_ID);
    assertThat(plan.steps()).isEqualTo(NodePlans.reset(TIMEOUTS.reset()));
    assertThat(s.sent().get(0).key()).isEqualTo(WORKER.toString());
  }

  @Test
  void aForcedDeletionResetsNothingAndAsksNodeDiscoveryToResetEachNodeWhenNextSeen() {
    SagaScenario<Teardown> s =
        SagaScenario.given(TEARDOWN, teardown(true))
            .expectCommand(
                LeaveCluster.class,
                l ->
                    l.needsReset()
                        && l.nodeIds().equals(List.of(WORKER, CONTROL_PLANE, INIT))
                        && l.resetSteps().stream()
                            .map(PlanStep::id)
                            .toList()
                            .equals(List.of(NodePlans.RESET_KUBEADM, NodePlans.RESET_KAIROS)))
            .replySucceeded()
            .expectCommand(ReleaseNodes.class, r -> r.reservationId().equals(RESERVATION))
            .replySucceeded()
            .expectNoMoreCommands()
            .expectStatus(SagaStatus.COMPLETED);

    assertThat(s.sent()).noneMatch(c -> c.command() instanceof RunPlan);
  }

  @Test
  void aClusterWithoutAnInitNodeSkipsItsReset() {
    SagaScenario.given(TEARDOWN, new Teardown(CLUSTER_ID, List.of(WORKER), List.of(), null, false))
        .expectCommand(RunPlan.class, reset(WORKER))
        .reply(finished(WORKER))
        .expectCommand(LeaveCluster.class, l -> l.nodeIds().equals(List.of(WORKER)))
        .replySucceeded()
        .expectCommand(ReleaseNodes.class, r -> r.nodeIds().equals(List.of(WORKER)))
        .replySucceeded()
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void aResetThatFailsStopsTheDeletionBeforeAnyNodeIsFreed() {
    SagaScenario<Teardown> s =
        SagaScenario.given(TEARDOWN, teardown(false))
            .expectCommand(RunPlan.class, reset(WORKER))
            .reply(finished(WORKER))
            .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
            .replyRefused(
                "plan-failed", List.of("node: " + CONTROL_PLANE, "step: reset-kubeadm"), false)
            .expectNoMoreCommands()
            .expectStatus(SagaStatus.COMPENSATED)
            .expectFailureReasonContaining("reset-control-planes");

    assertThat(s.sent()).noneMatch(c -> c.command() instanceof LeaveCluster);
    assertThat(s.sent()).noneMatch(c -> c.command() instanceof ReleaseNodes);
  }

  @Test
  void aResetThatIsNeverAnsweredIsSentAgainAsTheSamePlanThenTheDeletionStops() {
    SagaScenario<Teardown> s =
        SagaScenario.given(TEARDOWN, teardown(false)).expectCommand(RunPlan.class, reset(WORKER));
    assertThat(Duration.between(s.saga().updatedAt(), s.saga().deadline()))
        .isEqualTo(TIMEOUTS.reset().plus(Duration.ofMinutes(2)));

    s.deadlinePasses().expectCommand(RunPlan.class, reset(WORKER));
    assertThat(s.sent().get(1)).isEqualTo(s.sent().get(0));

    s.deadlinePasses()
        .expectEvent(
            SagaStepFailed.class,
            e -> e.stepName().equals(TeardownSaga.RESET_WORKERS) && e.timedOut())
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void freeingTheNodesIsTriedFiveTimes() {
    SagaScenario<Teardown> s =
        SagaScenario.given(TEARDOWN, teardown(true)).expectCommand(LeaveCluster.class);
    for (int attempt = 2; attempt <= 5; attempt++) {
      s.deadlinePasses().expectCommand(LeaveCluster.class);
      assertThat(s.saga().attempts()).isEqualTo(attempt);
    }
    s.deadlinePasses().expectNoMoreCommands().expectStatus(SagaStatus.COMPENSATED);
  }

  private static Teardown teardown(boolean forced) {
    return new Teardown(CLUSTER_ID, List.of(WORKER), List.of(CONTROL_PLANE), INIT, forced);
  }

  private static Predicate<RunPlan> reset(UUID node) {
    return p ->
        p.nodeId().equals(node)
            && p.planId().equals(FormationSaga.planId(CLUSTER_ID, "teardown", node))
            && p.steps().stream()
                .map(PlanStep::id)
                .toList()
                .equals(List.of(NodePlans.RESET_KUBEADM, NodePlans.RESET_KAIROS));
  }

  private static PlanFinished finished(UUID node) {
    return new PlanFinished(FormationSaga.planId(CLUSTER_ID, "teardown", node), node, Map.of(), AT);
  }
}
