package dev.easel.clusters.application;

import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.formation.Teardown;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.ReleaseNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Deletes a cluster: resets its workers, then its other control planes, then the init node, and
 * frees them all. A forced deletion resets nothing now; node-discovery frees the nodes and resets
 * each when it is next seen.
 */
public final class TeardownSaga {

  public static final String NAME = "DeleteCluster";

  public static final String RESET_WORKERS = "reset-workers";
  public static final String RESET_CONTROL_PLANES = "reset-control-planes";
  public static final String RESET_INIT = "reset-init";
  public static final String LEAVE = "free-nodes";
  public static final String RELEASE = "release-reservation";

  private static final Duration SLACK = Duration.ofMinutes(2);

  private TeardownSaga() {}

  public static SagaDefinition<Teardown> definition(PlanSealing sealing, FormationSaga.Timeouts t) {
    return SagaDefinition.of(NAME, Teardown.class)
        .step(RESET_WORKERS)
        .invokeAll(d -> d.forced() ? List.of() : resets(d, d.workers(), sealing, t))
        .onReply(PlanFinished.class, (d, r) -> d)
        .retry(RetryPolicy.attempts(2))
        .timeout(t.reset().plus(SLACK))
        .step(RESET_CONTROL_PLANES)
        .invokeAll(d -> d.forced() ? List.of() : resets(d, d.controlPlanes(), sealing, t))
        .onReply(PlanFinished.class, (d, r) -> d)
        .retry(RetryPolicy.attempts(2))
        .timeout(t.reset().plus(SLACK))
        .step(RESET_INIT)
        .invokeAll(
            d ->
                d.forced() || d.init() == null
                    ? List.of()
                    : resets(d, List.of(d.init()), sealing, t))
        .onReply(PlanFinished.class, (d, r) -> d)
        .retry(RetryPolicy.attempts(2))
        .timeout(t.reset().plus(SLACK))
        .step(LEAVE)
        .invoke(
            d ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    d.clusterId().toString(),
                    new LeaveCluster(
                        d.clusterId().toString(),
                        d.nodes(),
                        d.forced() ? NodePlans.reset(t.reset()) : null)))
        .retry(RetryPolicy.attempts(5))
        .timeout(t.reserve())
        // A cluster whose formation could not be undone still holds its nodes reserved.
        .step(RELEASE)
        .invoke(
            d ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    d.clusterId().toString(),
                    new ReleaseNodes(Formation.reservationOf(d.clusterId()), d.nodes())))
        .retry(RetryPolicy.attempts(5))
        .timeout(t.reserve())
        .build();
  }

  private static List<SagaCommand> resets(
      Teardown d, List<UUID> nodes, PlanSealing sealing, FormationSaga.Timeouts t) {
    List<SagaCommand> commands = new ArrayList<>();
    for (UUID node : nodes) {
      commands.add(
          FormationSaga.runPlan(
              d.clusterId(), node, "teardown", NodePlans.reset(t.reset()), sealing));
    }
    return commands;
  }
}
