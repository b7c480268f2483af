package dev.easel.clusters.domain.cluster;

/** What was asked of a cluster does not fit the state it is in. */
public final class ClusterStateException extends RuntimeException {

  private final ClusterState state;

  public ClusterStateException(ClusterState state, String message) {
    super(message);
    this.state = state;
  }

  public ClusterState state() {
    return state;
  }
}
