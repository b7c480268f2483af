package dev.easel.clusters.application;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.application.port.SecretBox;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterStateException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** What operators read of clusters: the clusters, their timelines and their kubeconfigs. */
@Service
public class ClusterQueries {

  public static final int MAX_PAGE = 200;

  private final ClusterStore clusters;
  private final Timeline timeline;
  private final SecretBox box;

  public ClusterQueries(ClusterStore clusters, Timeline timeline, SecretBox box) {
    this.clusters = clusters;
    this.timeline = timeline;
    this.box = box;
  }

  @Transactional(readOnly = true)
  public Optional<Cluster> find(UUID id) {
    return clusters.find(id);
  }

  @Transactional(readOnly = true)
  public List<Cluster> list(UUID after, int limit, boolean includeDeleted) {
    return clusters.list(after, Math.max(1, Math.min(limit, MAX_PAGE)), includeDeleted);
  }

  @Transactional(readOnly = true)
  public List<Timeline.Entry> timeline(UUID id, long afterSeq, int limit) {
    return timeline.after(id, afterSeq, Math.max(1, Math.min(limit, 1000)));
  }

  /** The latest operation's progress, in percent. */
  @Transactional(readOnly = true)
  public int percent(UUID id) {
    return timeline.latestPercent(id);
  }

  /**
   * The admin kubeconfig, its server the VIP.
   *
   * @throws Deleting.NotFound when there is no such cluster
   * @throws ClusterStateException when the cluster is not running (or degraded)
   */
  @Transactional(readOnly = true)
  public String kubeconfig(UUID id) {
    Cluster c = clusters.find(id).orElseThrow(() -> new Deleting.NotFound(id));
    if (!c.state().serving()) {
      throw new ClusterStateException(
          c.state(),
          "cluster " + c.name() + " is " + c.state() + "; it has no kubeconfig to serve");
    }
    byte[] sealed =
        clusters
            .kubeconfig(id)
            .orElseThrow(
                () ->
                    new ClusterStateException(
                        c.state(), "cluster " + c.name() + " has no kubeconfig kept"));
    return box.open(sealed, "kubeconfig:" + id);
  }
}
