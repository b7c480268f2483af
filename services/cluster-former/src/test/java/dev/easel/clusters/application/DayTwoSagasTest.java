package dev.easel.clusters.application;

import static dev.easel.clusters.application.Formations.CLUSTER_ID;
import static dev.easel.clusters.application.Formations.INIT;
import static dev.easel.clusters.application.Formations.WORKER;
import static dev.easel.clusters.application.Formations.WORKER_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.clusters.domain.formation.Growth;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.formation.Removal;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaStatus;
import dev.easel.common.saga.testing.SagaScenario;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.contracts.nodes.RunPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sagas that add nodes to a running cluster and take one out, with no infrastructure. */
class DayTwoSagasTest {

  private static final FormationSaga.Timeouts TIMEOUTS = FormationSaga.Timeouts.defaults();
  private static final SagaDefinition<Growth> GROWTH =
      GrowthSaga.definition(id -> Formations.request(), Formations.SEALING, TIMEOUTS);
  private static final SagaDefinition<Removal> REMOVAL =
      RemovalSaga.definition(Formations.SEALING, TIMEOUTS);
  private static final Instant AT = Instant.parse("2026-01-01T00:10:00Z");

  private static Growth growth() {
    return new Growth(CLUSTER_ID, "grow-1", "worker-pool", INIT, List.of(WORKER), null, null);
  }

  private static PlanFinished finished(RunPlan p, Map<String, String> outputs) {
    return new PlanFinished(p.planId(), p.nodeId(), outputs, AT);
  }

  @Test
  void anAddedNodeIsReservedJoinedCheckedAndMarkedAMember() {
    SagaScenario<Growth> s =
        SagaScenario.given(GROWTH, growth())
            .expectCommand(
                ReserveNodes.class,
                r ->
                    r.reservationId().equals("cluster-" + CLUSTER_ID + "-grow-1")
                        && r.nodeIds().equals(List.of(WORKER)))
            .replySucceeded()
            .expectCommand(
                RunPlan.class,
                p ->
                    p.nodeId().equals(WORKER)
                        && p.planId().contains("grow-1-join")
                        && p.steps().get(0).id().equals(NodePlans.JOIN)
                        && Formations.opened(p)
                            .steps()
                            .get(0)
                            .secretFiles()
                            .get(NodePlans.CLOUD_CONFIG_PATH)
                            .contains("role: \"worker\""));
    RunPlan join = (RunPlan) s.sent().get(s.sent().size() - 1).command();
    s.reply(finished(join, Map.of())).expectCommand(RunPlan.class, p -> p.nodeId().equals(INIT));
    RunPlan health = (RunPlan) s.sent().get(s.sent().size() - 1).command();
    s.reply(finished(health, Map.of("check-nodes", Formations.everyNodeReady())))
        .expectCommand(
            JoinCluster.class,
            j -> j.nodeIds().equals(List.of(WORKER)) && j.clusterId().equals(CLUSTER_ID.toString()))
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void aJoinThatFailsResetsTheNewNodeAndReleasesItLeavingTheClusterAlone() {
    SagaScenario.given(GROWTH, growth())
        .expectCommand(ReserveNodes.class)
        .replySucceeded()
        .expectCommand(RunPlan.class, p -> p.nodeId().equals(WORKER))
        .replyRefused(
            "plan-failed", List.of("node: " + WORKER, "step: join", "kubeadm join failed"), false)
        .expectCommand(
            RunPlan.class,
            p ->
                p.nodeId().equals(WORKER)
                    && p.planId().contains("grow-1-reset")
                    && p.steps().stream()
                        .map(PlanStep::id)
                        .toList()
                        .equals(List.of(NodePlans.RESET_KUBEADM, NodePlans.RESET_KAIROS)))
        .replySucceeded()
        .expectCommand(ReleaseNodes.class, r -> r.nodeIds().equals(List.of(WORKER)))
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectData(
            g -> {
              assertThat(g.failure().node()).isEqualTo(WORKER);
              assertThat(g.failure().output()).contains("kubeadm join failed");
            });
  }

  @Test
  void aNodeIsDrainedOnTheInitNodeThenResetThenFreed() {
    SagaScenario.given(
            REMOVAL, new Removal(CLUSTER_ID, "remove-1", WORKER, WORKER_HOST, "worker-pool", INIT))
        .expectCommand(
            RunPlan.class,
            p ->
                p.nodeId().equals(INIT)
                    && p.steps().get(0).command().contains("drain " + WORKER_HOST)
                    && p.steps().get(1).command().contains("delete node " + WORKER_HOST))
        .replySucceeded()
        .expectCommand(
            RunPlan.class, p -> p.nodeId().equals(WORKER) && p.planId().contains("reset"))
        .replySucceeded()
        .expectCommand(
            LeaveCluster.class, l -> l.nodeIds().equals(List.of(WORKER)) && !l.needsReset())
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPLETED);
  }

  @Test
  void aDrainThatFailsIsUndoneByUncordoningTheNode() {
    SagaScenario.given(
            REMOVAL, new Removal(CLUSTER_ID, "remove-1", WORKER, WORKER_HOST, "worker-pool", INIT))
        .expectCommand(RunPlan.class, p -> p.nodeId().equals(INIT))
        .replyRefused("plan-failed", List.of("node: " + INIT, "step: drain"), false)
        .expectCommand(
            RunPlan.class,
            p -> p.nodeId().equals(INIT) && p.steps().get(0).command().contains("uncordon"))
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }
}
