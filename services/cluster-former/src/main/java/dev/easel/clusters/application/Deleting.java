package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.clusters.domain.cluster.ClusterStateException;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.formation.Teardown;
import dev.easel.clusters.domain.render.NodeRole;
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
 * Deletes clusters: a deletion resets every node, workers first and the init node last, then frees
 * them; a forced one frees them at once and has node-discovery reset each when it is next seen.
 */
@Service
public class Deleting {

  private final ClusterStore clusters;
  private final Timeline timeline;
  private final SagaEngine sagas;
  private final SagaDefinition<Teardown> teardown;
  private final Clock clock;

  public Deleting(
      ClusterStore clusters,
      Timeline timeline,
      SagaEngine sagas,
      SagaDefinition<Teardown> teardown,
      Clock clock) {
    this.clusters = clusters;
    this.timeline = timeline;
    this.sagas = sagas;
    this.teardown = teardown;
    this.clock = clock;
  }

  /** No such cluster. */
  public static final class NotFound extends RuntimeException {
    public NotFound(UUID id) {
      super("no cluster " + id);
    }
  }

  /**
   * Starts deleting a cluster.
   *
   * @param force drop it without resetting its nodes now; allowed in any state but while it is
   *     still being formed (its formation ends, or fails and undoes itself, first) or deleted
   * @throws ClusterStateException when its state does not allow it
   */
  @Transactional
  public Cluster delete(UUID id, boolean force) {
    Cluster c = clusters.lock(id).orElseThrow(() -> new NotFound(id));
    if (c.state() == ClusterState.PROVISIONING) {
      throw new ClusterStateException(
          c.state(),
          "cluster "
              + c.name()
              + " is still being formed; delete it once it is running, or once its formation"
              + " failed and was undone");
    }
    if (c.state() == ClusterState.DELETING && !force) {
      throw new ClusterStateException(c.state(), "cluster " + c.name() + " is being deleted");
    }
    if (c.state() == ClusterState.DELETED) {
      throw new ClusterStateException(c.state(), "cluster " + c.name() + " is deleted");
    }
    Instant now = clock.instant();
    List<UUID> workers = new ArrayList<>();
    List<UUID> cps = new ArrayList<>();
    UUID init = null;
    for (Member m : c.members()) {
      if (m.role() == NodeRole.WORKER) {
        workers.add(m.nodeId());
      } else if (m.role() == NodeRole.CONTROL_PLANE) {
        cps.add(m.nodeId());
      } else {
        init = m.nodeId();
      }
    }
    Cluster deleting = c.state() == ClusterState.DELETING ? c : c.deleting(null, now);
    timeline.append(
        new Timeline.Entry(
            0,
            id,
            now,
            ClusterProgress.DELETION,
            null,
            c.nodeIds(),
            ClusterState.DELETING.name(),
            force ? "force-delete asked" : "delete asked",
            0));
    UUID saga = sagas.start(teardown, new Teardown(id, workers, cps, init, force));
    Cluster started = deleting.withSaga(saga);
    clusters.update(started);
    return started;
  }
}
