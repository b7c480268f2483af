package dev.easel.clusters.domain.cluster;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a cluster stands, and where it may go from there:
 *
 * <pre>
 * PROVISIONING → RUNNING ⇄ DEGRADED
 * PROVISIONING → DEGRADED      (formed while a member was unreachable)
 * PROVISIONING → FAILED
 * RUNNING, DEGRADED, FAILED → DELETING → DELETED
 * DELETING → FAILED            (a node could not be reset; force-delete remains)
 * any but DELETED and PROVISIONING → DELETED   (force-delete)
 * </pre>
 */
public enum ClusterState {
  PROVISIONING,
  RUNNING,
  DEGRADED,
  FAILED,
  DELETING,
  DELETED;

  private static final Map<ClusterState, Set<ClusterState>> NEXT =
      Map.of(
          PROVISIONING, EnumSet.of(RUNNING, DEGRADED, FAILED),
          RUNNING, EnumSet.of(DEGRADED, DELETING, DELETED),
          DEGRADED, EnumSet.of(RUNNING, DELETING, DELETED),
          FAILED, EnumSet.of(DELETING, DELETED),
          DELETING, EnumSet.of(DELETED, FAILED),
          DELETED, EnumSet.noneOf(ClusterState.class));

  /** Whether a cluster in this state may move to {@code next}. */
  public boolean canBecome(ClusterState next) {
    return NEXT.get(this).contains(next);
  }

  /** Whether its nodes run Kubernetes for it: running, with or without every node reachable. */
  public boolean serving() {
    return this == RUNNING || this == DEGRADED;
  }
}
