package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.ClusterRequest;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.clusters.domain.cluster.ClusterStateException;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.formation.Growth;
import dev.easel.clusters.domain.formation.Removal;
import dev.easel.clusters.domain.render.NodeRole;
import dev.easel.common.envelope.Ids;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Day 2: nodes added to a running cluster's pool, and one node taken out. One operation runs on a
 * cluster at a time.
 */
@Service
public class DayTwo {

  private final Validating validating;
  private final ClusterStore clusters;
  private final Timeline timeline;
  private final SagaEngine sagas;
  private final SagaDefinition<Growth> growth;
  private final SagaDefinition<Removal> removal;
  private final Clock clock;

  public DayTwo(
      Validating validating,
      ClusterStore clusters,
      Timeline timeline,
      SagaEngine sagas,
      SagaDefinition<Growth> growth,
      SagaDefinition<Removal> removal,
      Clock clock) {
    this.validating = validating;
    this.clusters = clusters;
    this.timeline = timeline;
    this.sagas = sagas;
    this.growth = growth;
    this.removal = removal;
    this.clock = clock;
  }

  /**
   * Adds nodes to a pool: explicit ids, or a selector with a count over the free nodes.
   *
   * @throws Forming.Invalid with every problem
   * @throws ClusterStateException when the cluster is not running, or busy with an operation
   */
  @Transactional
  public Cluster addNodes(UUID id, ClusterRequest.PoolRequest add) {
    Cluster c = idle(id);
    Validating.GrowthVerdict v = validating.validateGrowth(c, add);
    if (!v.valid()) {
      throw new Forming.Invalid(v.problems());
    }
    Cluster.Pool pool =
        c.pools().stream().filter(p -> p.name().equals(add.name())).findFirst().orElseThrow();
    NodeRole role = "control-plane".equals(pool.role()) ? NodeRole.CONTROL_PLANE : NodeRole.WORKER;
    List<Member> joining = new ArrayList<>();
    for (UUID node : v.added()) {
      KnownNode n = v.nodes().get(node);
      joining.add(
          new Member(
              node,
              n != null && n.hostname() != null ? n.hostname() : "node-" + node,
              pool.name(),
              role));
    }
    Instant now = clock.instant();
    Cluster grown = c.withMembers(joining, now);
    clusters.update(grown);
    clusters.addMembers(id, v.added());
    String growthId = "grow-" + Ids.next().toString().substring(0, 8);
    timeline.append(
        new Timeline.Entry(
            0,
            id,
            now,
            ClusterProgress.ADD_NODES,
            null,
            v.added(),
            c.state().name(),
            "adding " + v.added().size() + " node(s) to pool " + pool.name(),
            0));
    UUID saga =
        sagas.start(
            growth,
            new Growth(id, growthId, pool.name(), c.init().nodeId(), v.added(), null, null));
    Cluster started = grown.withSaga(saga);
    clusters.update(started);
    return started;
  }

  /**
   * Takes a node out: drained, deleted from Kubernetes, reset and freed. The init node stays, and
   * the control plane keeps 1 or an odd number of nodes.
   *
   * @throws ClusterStateException when the node may not leave now
   */
  @Transactional
  public Cluster removeNode(UUID id, UUID nodeId) {
    Cluster c = idle(id);
    Member m =
        c.member(nodeId)
            .orElseThrow(
                () ->
                    new ClusterStateException(
                        c.state(), "node " + nodeId + " is not a member of cluster " + c.name()));
    if (m.role() == NodeRole.INIT) {
      throw new ClusterStateException(
          c.state(),
          "node "
              + m.hostname()
              + " initialised cluster "
              + c.name()
              + " and holds its first control plane; it leaves only when the cluster is deleted");
    }
    if (m.role() == NodeRole.CONTROL_PLANE) {
      long left = c.members().stream().filter(x -> x.role() != NodeRole.WORKER).count() - 1;
      if (left != 1 && left % 2 == 0) {
        throw new ClusterStateException(
            c.state(),
            "removing "
                + m.hostname()
                + " would leave "
                + left
                + " control-plane nodes; etcd needs 1 or an odd number");
      }
    }
    Instant now = clock.instant();
    timeline.append(
        new Timeline.Entry(
            0,
            id,
            now,
            ClusterProgress.REMOVE_NODE,
            null,
            List.of(nodeId),
            c.state().name(),
            "removing node " + m.hostname(),
            0));
    UUID saga =
        sagas.start(
            removal,
            new Removal(
                id,
                "remove-" + Ids.next().toString().substring(0, 8),
                nodeId,
                m.hostname(),
                m.pool(),
                c.init().nodeId()));
    Cluster started = c.withSaga(saga);
    clusters.update(started);
    return started;
  }

  /** The cluster, locked, if it runs and no operation is under way on it. */
  private Cluster idle(UUID id) {
    Cluster c = clusters.lock(id).orElseThrow(() -> new Deleting.NotFound(id));
    if (c.state() != ClusterState.RUNNING && c.state() != ClusterState.DEGRADED) {
      throw new ClusterStateException(
          c.state(), "cluster " + c.name() + " is " + c.state() + "; only a running one changes");
    }
    if (c.sagaId() != null
        && sagas.find(c.sagaId()).map(s -> !s.status().isTerminal()).orElse(false)) {
      throw new ClusterStateException(
          c.state(),
          "cluster " + c.name() + " is busy with an operation; try again when it has finished");
    }
    return c;
  }
}
