package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.ProgressSignals;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.clusters.ClusterDegraded;
import dev.easel.contracts.clusters.ClusterRecovered;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A cluster's health follows its nodes': a member that stops heartbeating makes a running cluster
 * DEGRADED, naming the node; when every member heartbeats again it is RUNNING.
 */
@Service
public class Reachability {

  private final ClusterStore clusters;
  private final Timeline timeline;
  private final Outbox outbox;
  private final ProgressSignals signals;

  public Reachability(
      ClusterStore clusters, Timeline timeline, Outbox outbox, ProgressSignals signals) {
    this.clusters = clusters;
    this.timeline = timeline;
    this.outbox = outbox;
    this.signals = signals;
  }

  /** Called in the inbox transaction of node-discovery's NodeBecameUnreachable. */
  public void unreachable(UUID nodeId, String hostname, Instant at) {
    for (Cluster c : clusters.lockServing(nodeId)) {
      Cluster after = c.nodeUnreachable(nodeId, at);
      if (after == c) {
        continue;
      }
      clusters.update(after);
      if (c.state() != ClusterState.DEGRADED && after.state() == ClusterState.DEGRADED) {
        outbox.publishEvent(
            c.id().toString(), new ClusterDegraded(c.id(), List.copyOf(after.unreachable()), at));
      }
      entry(after, nodeId, "node " + name(hostname, nodeId) + " is unreachable", at);
    }
  }

  /** Called in the inbox transaction of node-discovery's NodeRecovered. */
  public void recovered(UUID nodeId, String hostname, Instant at) {
    for (Cluster c : clusters.lockServing(nodeId)) {
      Cluster after = c.nodeRecovered(nodeId, at);
      if (after == c) {
        continue;
      }
      clusters.update(after);
      if (c.state() == ClusterState.DEGRADED && after.state() == ClusterState.RUNNING) {
        outbox.publishEvent(c.id().toString(), new ClusterRecovered(c.id(), at));
      }
      entry(after, nodeId, "node " + name(hostname, nodeId) + " is reachable again", at);
    }
  }

  private void entry(Cluster c, UUID nodeId, String message, Instant at) {
    timeline.append(
        new Timeline.Entry(
            0, c.id(), at, "health", null, List.of(nodeId), c.state().name(), message, 100));
    signals.changedAfterCommit(c.id());
  }

  private static String name(String hostname, UUID id) {
    return hostname != null ? hostname + " (" + id + ")" : id.toString();
  }
}
