package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.ProgressSignals;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterStateException;
import dev.easel.clusters.domain.cluster.Failure;
import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.Growth;
import dev.easel.clusters.domain.formation.Removal;
import dev.easel.clusters.domain.formation.Teardown;
import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaHistoryEntry;
import dev.easel.common.saga.SagaListener;
import dev.easel.common.saga.SagaStatus;
import dev.easel.common.saga.Transition;
import dev.easel.contracts.clusters.ClusterDeleted;
import dev.easel.contracts.clusters.ClusterFailed;
import dev.easel.contracts.clusters.ClusterNodeAdded;
import dev.easel.contracts.clusters.ClusterNodeRemoved;
import dev.easel.contracts.clusters.ClusterProfileDetached;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.clusters.ClusterStepFailed;
import dev.easel.contracts.clusters.ClusterStepStarted;
import dev.easel.contracts.clusters.ClusterStepSucceeded;
import dev.easel.contracts.saga.SagaCompensated;
import dev.easel.contracts.saga.SagaCompleted;
import dev.easel.contracts.saga.SagaFailed;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Follows the formation and deletion sagas, in the transaction of each of their transitions: it
 * writes the cluster's timeline, moves the cluster through its states, and emits the cluster's
 * events, keyed by the cluster's id.
 */
@Component
public class ClusterProgress implements SagaListener {

  private static final Logger log = LoggerFactory.getLogger(ClusterProgress.class);

  public static final String FORMATION = "formation";
  public static final String DELETION = "deletion";
  public static final String ADD_NODES = "add-nodes";
  public static final String REMOVE_NODE = "remove-node";

  private static final java.util.Set<String> SAGAS =
      java.util.Set.of(FormationSaga.NAME, TeardownSaga.NAME, GrowthSaga.NAME, RemovalSaga.NAME);

  private final ClusterStore clusters;
  private final Timeline timeline;
  private final Outbox outbox;
  private final ProgressSignals signals;
  private final ObjectMapper json;

  public ClusterProgress(
      ClusterStore clusters,
      Timeline timeline,
      Outbox outbox,
      ProgressSignals signals,
      ObjectMapper json) {
    this.clusters = clusters;
    this.timeline = timeline;
    this.outbox = outbox;
    this.signals = signals;
    this.json = json;
  }

  @Override
  public void transitioned(SagaDefinition<?> def, SagaStatus before, Transition t) {
    if (def == null || !SAGAS.contains(def.name())) {
      return;
    }
    Object data = json.readValue(t.state().data(), def.dataType());
    UUID clusterId = clusterOf(data);
    String op = operationOf(data);
    Instant now = t.state().updatedAt();
    String key = clusterId.toString();

    // The history says what happened, in order; the saga's events add the end.
    boolean timedOut = false;
    for (SagaHistoryEntry h : t.history()) {
      int index = h.step();
      String step = h.stepName();
      switch (h.entry()) {
        case "ACTION_SENT":
        case "RETRIED":
          {
            int attempt = "RETRIED".equals(h.entry()) ? t.state().attempts() : 1;
            List<UUID> nodes = nodesOf(data, step);
            int percent = FormationSaga.percentBefore(def, index);
            append(clusterId, now, op, step, nodes, "STARTED", describe(step, attempt), percent);
            outbox.publishEvent(
                key, new ClusterStepStarted(clusterId, op, step, nodes, attempt, percent, now));
            break;
          }
        case "SUCCEEDED":
        case "LOCAL_DONE":
        case "NOTHING_TO_SEND":
          {
            int percent = FormationSaga.percentBefore(def, index + 1);
            List<UUID> nodes = nodesOf(data, step);
            append(
                clusterId,
                now,
                op,
                step,
                nodes,
                "SUCCEEDED",
                "NOTHING_TO_SEND".equals(h.entry()) ? "nothing to do" : null,
                percent);
            outbox.publishEvent(
                key, new ClusterStepSucceeded(clusterId, op, step, nodes, percent, now));
            break;
          }
        case "TIMED_OUT":
          timedOut = true;
          break;
        case "FAILED":
          {
            Failure why = failure(data, step, h.detail());
            append(
                clusterId,
                now,
                op,
                step,
                why.node() == null ? List.of() : List.of(why.node()),
                "FAILED",
                why.reason()
                    + (why.output() == null || why.output().isEmpty() ? "" : "\n" + why.output()),
                FormationSaga.percentBefore(def, index));
            outbox.publishEvent(
                key,
                new ClusterStepFailed(
                    clusterId, op, step, why.node(), why.reason(), why.output(), timedOut, now));
            timedOut = false;
            break;
          }
        case "COMPENSATION_SENT":
          append(
              clusterId,
              now,
              op,
              step,
              nodesOf(data, step),
              "UNDOING",
              "undoing " + step,
              FormationSaga.percentBefore(def, index));
          break;
        case "COMPENSATED":
          append(
              clusterId,
              now,
              op,
              step,
              nodesOf(data, step),
              "UNDONE",
              "undid " + step,
              FormationSaga.percentBefore(def, index));
          break;
        default:
          break;
      }
    }

    for (Object e : t.events()) {
      boolean dayTwo = data instanceof Growth || data instanceof Removal;
      if (e instanceof SagaCompleted) {
        if (dayTwo) {
          dayTwoCompleted(clusterId, data, now);
        } else {
          completed(clusterId, data, now);
        }
      } else if (e instanceof SagaCompensated c) {
        if (dayTwo) {
          dayTwoFailed(clusterId, data, c.reason(), true, now);
        } else {
          failed(clusterId, data, t, c.reason(), true, now);
        }
      } else if (e instanceof SagaFailed f) {
        if (dayTwo) {
          dayTwoFailed(clusterId, data, f.reason(), false, now);
        } else {
          failed(clusterId, data, t, f.reason(), false, now);
        }
      }
    }
    signals.changedAfterCommit(clusterId);
  }

  private static UUID clusterOf(Object data) {
    if (data instanceof Formation f) {
      return f.clusterId();
    }
    if (data instanceof Growth g) {
      return g.clusterId();
    }
    if (data instanceof Removal r) {
      return r.clusterId();
    }
    return ((Teardown) data).clusterId();
  }

  private static String operationOf(Object data) {
    if (data instanceof Formation) {
      return FORMATION;
    }
    if (data instanceof Growth) {
      return ADD_NODES;
    }
    if (data instanceof Removal) {
      return REMOVE_NODE;
    }
    return DELETION;
  }

  /** Nodes added are members for good; a node removed is gone. The cluster's state stays. */
  private void dayTwoCompleted(UUID clusterId, Object data, Instant now) {
    Optional<Cluster> found = clusters.lock(clusterId);
    if (found.isEmpty()) {
      return;
    }
    Cluster c = found.get();
    String key = clusterId.toString();
    if (data instanceof Growth g) {
      for (UUID node : g.added()) {
        String role =
            c.member(node)
                .map(
                    m ->
                        m.role() == dev.easel.clusters.domain.render.NodeRole.WORKER
                            ? "worker"
                            : "control-plane")
                .orElse("worker");
        outbox.publishEvent(key, new ClusterNodeAdded(clusterId, node, g.pool(), role, now));
      }
      append(
          clusterId,
          now,
          ADD_NODES,
          null,
          g.added(),
          c.state().name(),
          "added " + g.added().size() + " node(s) to pool " + g.pool(),
          100);
    } else {
      Removal r = (Removal) data;
      clusters.update(c.withoutMembers(List.of(r.nodeId()), now));
      clusters.removeMembers(clusterId, List.of(r.nodeId()));
      outbox.publishEvent(key, new ClusterNodeRemoved(clusterId, r.nodeId(), r.pool(), true, now));
      append(
          clusterId,
          now,
          REMOVE_NODE,
          null,
          List.of(r.nodeId()),
          c.state().name(),
          "removed node " + r.hostname() + "; it was reset and freed",
          100);
    }
  }

  /**
   * A day-2 operation failed; the cluster keeps running as it was. Nodes that were to be added are
   * not members: undone, they were reset and released; not undone, an operator must look.
   */
  private void dayTwoFailed(
      UUID clusterId, Object data, String reason, boolean cleanedUp, Instant now) {
    Optional<Cluster> found = clusters.lock(clusterId);
    if (found.isEmpty()) {
      return;
    }
    Cluster c = found.get();
    List<UUID> nodes;
    String op;
    if (data instanceof Growth g) {
      clusters.update(c.withoutMembers(g.added(), now));
      clusters.removeMembers(clusterId, g.added());
      nodes = g.added();
      op = ADD_NODES;
    } else {
      nodes = List.of(((Removal) data).nodeId());
      op = REMOVE_NODE;
    }
    append(
        clusterId,
        now,
        op,
        stepOf(reason),
        nodes,
        "FAILED",
        (cleanedUp
                ? "failed and undone; the cluster runs as before: "
                : "failed, and undoing it" + " failed too; an operator must look: ")
            + reason,
        timeline.lastPercent(clusterId, op));
  }

  private void completed(UUID clusterId, Object data, Instant now) {
    Optional<Cluster> found = clusters.lock(clusterId);
    if (found.isEmpty()) {
      log.warn("saga of unknown cluster {} completed", clusterId);
      return;
    }
    Cluster c = found.get();
    try {
      if (data instanceof Formation f) {
        clusters.keepKubeconfig(clusterId, Base64.getDecoder().decode(f.sealedKubeconfig()));
        Cluster formed = c.formed(now);
        clusters.update(formed);
        append(clusterId, now, FORMATION, null, c.nodeIds(), formed.state().name(), "formed", 100);
        outbox.publishEvent(
            clusterId.toString(),
            new ClusterRunning(
                clusterId,
                c.name(),
                c.kind(),
                c.nodeIds(),
                c.members().stream()
                    .map(
                        m ->
                            new ClusterRunning.ClusterMember(
                                m.nodeId(), m.hostname(), m.pool(), m.role().kairosName()))
                    .toList(),
                c.profileName(),
                c.profileVersion(),
                now));
        if (formed.state() == dev.easel.clusters.domain.cluster.ClusterState.DEGRADED) {
          outbox.publishEvent(
              clusterId.toString(),
              new dev.easel.contracts.clusters.ClusterDegraded(
                  clusterId, List.copyOf(formed.unreachable()), now));
        }
      } else {
        Teardown d = (Teardown) data;
        clusters.update(c.deleted(now));
        clusters.dropMembers(clusterId);
        append(
            clusterId,
            now,
            DELETION,
            null,
            c.nodeIds(),
            "DELETED",
            d.forced()
                ? "deleted by force; its nodes will be reset when next seen"
                : "deleted; every node was reset and freed",
            100);
        outbox.publishEvent(
            clusterId.toString(),
            new ClusterDeleted(clusterId, c.name(), d.forced(), c.nodeIds(), now));
        outbox.publishEvent(
            clusterId.toString(),
            new ClusterProfileDetached(clusterId, c.profileName(), c.profileVersion(), now));
      }
    } catch (ClusterStateException ex) {
      log.warn("cluster {}: {}; its saga's end is not applied", clusterId, ex.getMessage());
    }
  }

  private void failed(
      UUID clusterId, Object data, Transition t, String reason, boolean cleanedUp, Instant now) {
    Optional<Cluster> found = clusters.lock(clusterId);
    if (found.isEmpty()) {
      return;
    }
    Cluster c = found.get();
    Failure why =
        data instanceof Formation f && f.failure() != null
            ? f.failure()
            : new Failure(stepOf(reason), null, reason, null);
    try {
      clusters.update(c.failed(why, now));
    } catch (ClusterStateException ex) {
      log.warn("cluster {}: {}; its saga's failure is not applied", clusterId, ex.getMessage());
      return;
    }
    String op = data instanceof Formation ? FORMATION : DELETION;
    if (cleanedUp && data instanceof Formation) {
      clusters.dropMembers(clusterId);
      outbox.publishEvent(
          clusterId.toString(),
          new ClusterProfileDetached(clusterId, c.profileName(), c.profileVersion(), now));
    }
    append(
        clusterId,
        now,
        op,
        why.step(),
        why.node() == null ? List.of() : List.of(why.node()),
        "FAILED",
        (cleanedUp
                ? (data instanceof Formation
                    ? "failed; every touched node was reset and released: "
                    : "deletion failed; force-delete frees the nodes: ")
                : "failed, and undoing it failed too; an operator must look: ")
            + reason,
        timeline.lastPercent(clusterId, op));
    outbox.publishEvent(
        clusterId.toString(),
        new ClusterFailed(clusterId, why.step(), why.node(), reason, why.output(), cleanedUp, now));
  }

  /** The failure the refusal handler recorded for this step, or one made of the reason. */
  private static Failure failure(Object data, String step, String reason) {
    if (data instanceof Formation f && f.failure() != null && step.equals(f.failure().step())) {
      return f.failure();
    }
    if (data instanceof Growth g && g.failure() != null && step.equals(g.failure().step())) {
      return g.failure();
    }
    return new Failure(step, null, reason, null);
  }

  /** {@code step 'x' failed: ...} names its step; the saga's reasons are written so. */
  private static String stepOf(String reason) {
    if (reason != null && reason.startsWith("step '")) {
      int end = reason.indexOf('\'', 6);
      if (end > 6) {
        return reason.substring(6, end);
      }
    }
    return null;
  }

  private static String describe(String step, int attempt) {
    return attempt > 1 ? step + ", attempt " + attempt : step;
  }

  /** The nodes a step runs on. */
  static List<UUID> nodesOf(Object data, String step) {
    if (data instanceof Formation f) {
      switch (step) {
        case FormationSaga.RESERVE:
        case FormationSaga.MARK_MEMBERS:
          return f.nodes();
        case FormationSaga.JOIN_CONTROL_PLANES:
          return f.controlPlanes();
        case FormationSaga.JOIN_WORKERS:
          return f.workers();
        case FormationSaga.INSTALL_INIT:
        case FormationSaga.APPLY_LAYERS:
        case FormationSaga.CHECK_HEALTH:
        case FormationSaga.FETCH_KUBECONFIG:
          return List.of(f.init());
        default:
          return List.of();
      }
    }
    if (data instanceof Growth g) {
      return GrowthSaga.CHECK_HEALTH.equals(step)
          ? List.of(g.init())
          : GrowthSaga.VERIFY_HEALTH.equals(step) ? List.of() : g.added();
    }
    if (data instanceof Removal r) {
      return List.of(r.nodeId());
    }
    Teardown d = (Teardown) data;
    switch (step) {
      case TeardownSaga.RESET_WORKERS:
        return d.forced() ? List.of() : d.workers();
      case TeardownSaga.RESET_CONTROL_PLANES:
        return d.forced() ? List.of() : d.controlPlanes();
      case TeardownSaga.RESET_INIT:
        return d.forced() || d.init() == null ? List.of() : List.of(d.init());
      default:
        return d.nodes();
    }
  }

  private void append(
      UUID clusterId,
      Instant at,
      String op,
      String step,
      List<UUID> nodes,
      String state,
      String message,
      int percent) {
    timeline.append(new Timeline.Entry(0, clusterId, at, op, step, nodes, state, message, percent));
  }
}
