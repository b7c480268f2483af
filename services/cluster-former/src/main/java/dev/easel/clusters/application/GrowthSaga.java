package dev.easel.clusters.application;

import dev.easel.clusters.domain.formation.Growth;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.clusters.domain.render.NodesHealth;
import dev.easel.clusters.domain.render.RenderNode;
import dev.easel.clusters.domain.render.RenderRequest;
import dev.easel.common.crypto.PlanSealing;
import dev.easel.common.saga.RetryPolicy;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.NodesReserved;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Adds nodes to a running cluster's pool: reserve them, join them in parallel with the cluster's
 * cloud-config, check that every node is Ready, and mark them members. A failure resets the new
 * nodes and releases them; the cluster's own nodes are not touched.
 */
public final class GrowthSaga {

  public static final String NAME = "AddClusterNodes";

  public static final String RESERVE = "reserve-nodes";
  public static final String JOIN = "join-nodes";
  public static final String CHECK_HEALTH = "check-health";
  public static final String VERIFY_HEALTH = "verify-health";
  public static final String MARK_MEMBERS = "mark-members";

  private static final Duration SLACK = Duration.ofMinutes(2);

  private GrowthSaga() {}

  public static SagaDefinition<Growth> definition(
      FormationSaga.Renderer renderer, PlanSealing sealing, FormationSaga.Timeouts t) {
    return SagaDefinition.of(NAME, Growth.class)
        .step(RESERVE)
        .invoke(
            g ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    g.clusterId().toString(),
                    new ReserveNodes(g.reservationId(), "cluster " + g.clusterId(), g.added())))
        .compensateWith(
            g ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    g.clusterId().toString(),
                    new ReleaseNodes(g.reservationId(), g.added())))
        .onReply(NodesReserved.class, (g, r) -> g)
        .onRefusal(
            "nodes-unavailable", (g, r) -> g.failedWith(FormationSaga.refusal(RESERVE, null, r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(t.reserve())
        .step(JOIN)
        .invokeAll(
            g -> {
              RenderRequest request = renderer.render(g.clusterId());
              List<SagaCommand> joins = new ArrayList<>();
              for (UUID node : g.added()) {
                joins.add(
                    plan(g, node, "join", NodePlans.install(request, node, t.install()), sealing));
              }
              return joins;
            })
        .compensateWithAll(
            g -> {
              List<SagaCommand> resets = new ArrayList<>();
              for (UUID node : g.added()) {
                resets.add(plan(g, node, "reset", NodePlans.reset(t.reset()), sealing));
              }
              return resets;
            })
        .undoEvenWhenRefused()
        .onReply(PlanFinished.class, (g, r) -> g)
        .onRefusal("plan-failed", (g, r) -> g.failedWith(FormationSaga.refusal(JOIN, null, r)))
        .onRefusal("plan-cancelled", (g, r) -> g.failedWith(FormationSaga.refusal(JOIN, null, r)))
        .retry(RetryPolicy.attempts(2))
        .timeout(t.install().plus(SLACK))
        .step(CHECK_HEALTH)
        .invoke(g -> plan(g, g.init(), "health", NodePlans.health(t.health()), sealing))
        .onReply(
            PlanFinished.class,
            (g, r) ->
                g.withHealthOutput(
                    r.outputs() == null
                        ? ""
                        : r.outputs()
                            .getOrDefault(
                                dev.easel.clusters.domain.render.HealthSteps.nodes().id(), "")))
        .onRefusal(
            "plan-failed", (g, r) -> g.failedWith(FormationSaga.refusal(CHECK_HEALTH, g.init(), r)))
        .retry(RetryPolicy.attempts(3))
        .timeout(t.health().multipliedBy(3).plus(SLACK))
        .step(VERIFY_HEALTH)
        .local(
            g -> {
              Set<String> hosts = new TreeSet<>();
              for (RenderNode n : renderer.render(g.clusterId()).nodes()) {
                hosts.add(n.hostname());
              }
              NodesHealth h = NodesHealth.parse(g.healthOutput(), hosts);
              if (!h.ready()) {
                throw new IllegalStateException("not every node is Ready: " + h);
              }
              return g;
            })
        .step(MARK_MEMBERS)
        .invoke(
            g ->
                SagaCommand.to(
                    FormationSaga.NODES,
                    g.clusterId().toString(),
                    new JoinCluster(g.reservationId(), g.clusterId().toString(), g.added())))
        .retry(RetryPolicy.attempts(5))
        .timeout(t.reserve())
        .build();
  }

  private static SagaCommand plan(
      Growth g, UUID node, String kind, List<PlanStep> steps, PlanSealing sealing) {
    return FormationSaga.runPlan(g.clusterId(), node, g.growthId() + "-" + kind, steps, sealing);
  }
}
