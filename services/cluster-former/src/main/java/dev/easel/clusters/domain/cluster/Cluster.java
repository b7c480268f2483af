package dev.easel.clusters.domain.cluster;

import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.render.NodeRole;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A cluster: what was asked for, the nodes it has, and where it stands. Each change is a method
 * that checks {@link ClusterState} and answers the cluster after it.
 *
 * @param kind {@code management} or {@code workload}
 * @param profileName the published profile version it is formed from
 * @param config its settings, without the registry password
 * @param pools its pools as asked, each with its role, labels and taints
 * @param members its nodes, the init node first
 * @param unreachable members that node-discovery says stopped heartbeating
 * @param failure why it failed, when it did
 * @param sagaId the saga that forms or deletes it now, or did last
 */
public record Cluster(
    UUID id,
    String name,
    Map<String, String> tags,
    String kind,
    String profileName,
    String profileVersion,
    ClusterConfig config,
    List<Pool> pools,
    List<Member> members,
    ClusterState state,
    Set<UUID> unreachable,
    Failure failure,
    UUID sagaId,
    Instant createdAt,
    Instant updatedAt) {

  public static final String MANAGEMENT = "management";
  public static final String WORKLOAD = "workload";

  /**
   * A pool as asked for.
   *
   * @param role {@code control-plane} or {@code worker}
   * @param taints {@code key[=value]:Effect}
   */
  public record Pool(
      String name,
      String role,
      boolean allowWorkloads,
      Map<String, String> labels,
      List<String> taints) {

    public Pool {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      taints = taints == null ? List.of() : List.copyOf(taints);
    }
  }

  public Cluster {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    tags = tags == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(tags));
    pools = pools == null ? List.of() : List.copyOf(pools);
    members = members == null ? List.of() : List.copyOf(members);
    unreachable = unreachable == null ? Set.of() : Set.copyOf(new TreeSet<>(unreachable));
  }

  /** The node that initialises the control plane. */
  public Member init() {
    return members.stream()
        .filter(m -> m.role() == NodeRole.INIT)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("cluster " + name + " has no init node"));
  }

  public List<UUID> nodeIds() {
    return members.stream().map(Member::nodeId).toList();
  }

  public boolean hasMember(UUID nodeId) {
    return members.stream().anyMatch(m -> m.nodeId().equals(nodeId));
  }

  /** Formed: every node is Ready. Nodes that went unreachable meanwhile leave it degraded. */
  public Cluster formed(Instant at) {
    return to(unreachable.isEmpty() ? ClusterState.RUNNING : ClusterState.DEGRADED, null, at);
  }

  /** The formation, or a deletion, failed. */
  public Cluster failed(Failure why, Instant at) {
    return to(ClusterState.FAILED, why, at);
  }

  /** Its deletion started. */
  public Cluster deleting(UUID saga, Instant at) {
    Cluster c = to(ClusterState.DELETING, failure, at);
    return c.withSaga(saga);
  }

  /** Deleted, its nodes reset and freed, or (forced) freed and marked to be reset. */
  public Cluster deleted(Instant at) {
    return to(ClusterState.DELETED, failure, at);
  }

  /**
   * A member stopped heartbeating. A serving cluster becomes DEGRADED; one still forming or being
   * deleted only remembers the node.
   *
   * @return the cluster after it, or this when nothing changed
   */
  public Cluster nodeUnreachable(UUID nodeId, Instant at) {
    if (!hasMember(nodeId) || unreachable.contains(nodeId)) {
      return this;
    }
    Set<UUID> now = new TreeSet<>(unreachable);
    now.add(nodeId);
    ClusterState next = state.serving() ? ClusterState.DEGRADED : state;
    return with(members, next, now, failure, sagaId, at);
  }

  /** A member heartbeats again; a degraded cluster with every member back is RUNNING. */
  public Cluster nodeRecovered(UUID nodeId, Instant at) {
    if (!unreachable.contains(nodeId)) {
      return this;
    }
    Set<UUID> now = new TreeSet<>(unreachable);
    now.remove(nodeId);
    ClusterState next =
        state == ClusterState.DEGRADED && now.isEmpty() ? ClusterState.RUNNING : state;
    return with(members, next, now, failure, sagaId, at);
  }

  /** The cluster with more members, joining now. */
  public Cluster withMembers(List<Member> more, Instant at) {
    List<Member> all = new ArrayList<>(members);
    for (Member m : more) {
      if (hasMember(m.nodeId())) {
        throw new IllegalArgumentException("node " + m.nodeId() + " is a member already");
      }
      all.add(m);
    }
    return with(all, state, unreachable, failure, sagaId, at);
  }

  /** The cluster without these members. */
  public Cluster withoutMembers(java.util.Collection<UUID> gone, Instant at) {
    List<Member> left = new ArrayList<>();
    for (Member m : members) {
      if (!gone.contains(m.nodeId())) {
        left.add(m);
      }
    }
    Set<UUID> stillUnreachable = new TreeSet<>(unreachable);
    stillUnreachable.removeAll(gone);
    ClusterState next =
        state == ClusterState.DEGRADED && stillUnreachable.isEmpty() ? ClusterState.RUNNING : state;
    return with(left, next, stillUnreachable, failure, sagaId, at);
  }

  public java.util.Optional<Member> member(UUID nodeId) {
    return members.stream().filter(m -> m.nodeId().equals(nodeId)).findFirst();
  }

  public Cluster withSaga(UUID saga) {
    return with(members, state, unreachable, failure, saga, updatedAt);
  }

  /** Members in the order a deletion resets them: workers, then control planes, init last. */
  public List<Member> teardownOrder() {
    List<Member> order = new ArrayList<>();
    for (NodeRole role : List.of(NodeRole.WORKER, NodeRole.CONTROL_PLANE, NodeRole.INIT)) {
      members.stream().filter(m -> m.role() == role).forEach(order::add);
    }
    return order;
  }

  private Cluster to(ClusterState next, Failure why, Instant at) {
    if (!state.canBecome(next)) {
      throw new ClusterStateException(
          state, "cluster " + name + " is " + state + " and cannot become " + next);
    }
    return with(members, next, unreachable, why, sagaId, at);
  }

  /** This cluster with what a change changes; what it is and was asked for stays. */
  private Cluster with(
      List<Member> members,
      ClusterState state,
      Set<UUID> unreachable,
      Failure failure,
      UUID sagaId,
      Instant updatedAt) {
    return new Cluster(
        id,
        name,
        tags,
        kind,
        profileName,
        profileVersion,
        config,
        pools,
        members,
        state,
        unreachable,
        failure,
        sagaId,
        createdAt,
        updatedAt);
  }
}
