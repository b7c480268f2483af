package dev.easel.clusters.application;

import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.formation.Removal;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Takes one node out of a running cluster: drain it and delete it from Kubernetes (on the init
 * node), reset it, and free it. A drain that fails is undone by uncordoning the node.
 */
public final class RemovalSaga {

  public static final String NAME = "RemoveClusterNode";

  public static final String DRAIN = "drain-node";
  public static final String RESET = "reset-node";
  public static final String LEAVE = "free-node";

  private static final Duration SLACK = Duration.ofMinutes(2);
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private RemovalSaga() {}

  public static SagaDefinition<Removal> definition(PlanSealing sealing, FormationSaga.Timeouts t) {
    return SagaDefinition.of(NAME, Removal.class)
        .step(DRAIN)
        .invoke(
            r -> plan(r, r.init(), "drain", NodePlans.drain(r.hostname(), DRAIN_TIMEOUT), sealing))
        .compensateWith(
            r -> plan(r, r.init(), "uncordon", NodePlans.uncordon(r.hostname()), sealing))
        .undoEvenWhenRefused()
        .onReply(PlanFinished.class, (r, f) -> r)
        .retry(RetryPolicy.attempts(2))
        .timeout(DRAIN_TIMEOUT.plus(SLACK).plus(SLACK))
        .step(RESET)
        .invoke(r -> plan(r, r.nodeId(), "reset", NodePlans.reset(t.reset()), sealing))
        .onReply(PlanFinished.class, (r, f) -> r)
        .retry(RetryPolicy.attempts(2))
        .timeout(t.reset().plus(SLACK))
        .step(LEAVE)
        .invoke(
            r ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    r.clusterId().toString(),
                    new LeaveCluster(r.clusterId().toString(), List.of(r.nodeId()))))
        .retry(RetryPolicy.attempts(5))
        .timeout(t.reserve())
        .build();
  }

  private static SagaCommand plan(
      Removal r, UUID node, String kind, List<PlanStep> steps, PlanSealing sealing) {
    return FormationSaga.runPlan(r.clusterId(), node, r.removalId() + "-" + kind, steps, sealing);
  }
}
