package dev.easel.clusters.domain;

import dev.easel.contracts.nodes.NodeFacts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * cluster-former's copy of a node, kept from node-discovery's events: enough to pick nodes for a
 * pool and to check a cluster's configuration against them. node-discovery decides every state;
 * this copy only follows it, so each method here mirrors one event.
 *
 * @param id the node id
 * @param hostname its host name
 * @param lifecycle free, reserved, in a cluster, or decommissioned
 * @param reservation the reservation holding it, or null
 * @param clusterId the cluster it is a member of, or null
 * @param reachable whether it heartbeats
 * @param userLabels labels an operator or a token set
 * @param derivedLabels the {@code easel.dev/} labels node-discovery derived from its inventory
 * @param facts its machine facts as node-discovery's events carry them, or null when the event that
 *     registered it carried none
 * @param updatedAt the time of the last event applied
 */
public record KnownNode(
    UUID id,
    String hostname,
    Lifecycle lifecycle,
    String reservation,
    String clusterId,
    boolean reachable,
    Map<String, String> userLabels,
    Map<String, String> derivedLabels,
    NodeFacts facts,
    Instant updatedAt) {

  /** Where a node is in its life, as node-discovery's events tell it. */
  public enum Lifecycle {
    FREE,
    RESERVED,
    IN_CLUSTER,
    DECOMMISSIONED
  }

  public static final String DERIVED_PREFIX = "easel.dev/";

  public KnownNode {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(lifecycle, "lifecycle");
    userLabels = userLabels == null ? Map.of() : Map.copyOf(userLabels);
    derivedLabels = derivedLabels == null ? Map.of() : Map.copyOf(derivedLabels);
  }

  /** A node registered: new, or again, keeping where it is in its life. */
  public static KnownNode registered(
      KnownNode before,
      UUID id,
      String hostname,
      Map<String, String> labels,
      NodeFacts facts,
      Instant at) {
    Map<String, String> user = new LinkedHashMap<>();
    Map<String, String> derived = new LinkedHashMap<>();
    labels.forEach((k, v) -> (k.startsWith(DERIVED_PREFIX) ? derived : user).put(k, v));
    if (before == null) {
      return new KnownNode(
          id, hostname, Lifecycle.FREE, null, null, true, user, derived, facts, at);
    }
    return new KnownNode(
        id,
        hostname,
        before.lifecycle,
        before.reservation,
        before.clusterId,
        true,
        user,
        derived,
        facts != null ? facts : before.facts,
        at);
  }

  public KnownNode inventoryChanged(
      String hostname, Map<String, String> derived, NodeFacts facts, Instant at) {
    return new KnownNode(
        id,
        hostname,
        lifecycle,
        reservation,
        clusterId,
        reachable,
        userLabels,
        derived,
        facts != null ? facts : this.facts,
        at);
  }

  /** The user labels now; derived labels in the event are ignored, they have their own event. */
  public KnownNode labelsChanged(Map<String, String> labels, Instant at) {
    Map<String, String> user = new LinkedHashMap<>();
    labels.forEach(
        (k, v) -> {
          if (!k.startsWith(DERIVED_PREFIX)) {
            user.put(k, v);
          }
        });
    return new KnownNode(
        id, hostname, lifecycle, reservation, clusterId, reachable, user, derivedLabels, facts, at);
  }

  public KnownNode reserved(String reservationId, Instant at) {
    return new KnownNode(
        id,
        hostname,
        Lifecycle.RESERVED,
        reservationId,
        null,
        reachable,
        userLabels,
        derivedLabels,
        facts,
        at);
  }

  public KnownNode released(Instant at) {
    return new KnownNode(
        id, hostname, Lifecycle.FREE, null, null, reachable, userLabels, derivedLabels, facts, at);
  }

  public KnownNode unreachable(Instant at) {
    return new KnownNode(
        id,
        hostname,
        lifecycle,
        reservation,
        clusterId,
        false,
        userLabels,
        derivedLabels,
        facts,
        at);
  }

  public KnownNode recovered(Instant at) {
    return new KnownNode(
        id,
        hostname,
        lifecycle,
        reservation,
        clusterId,
        true,
        userLabels,
        derivedLabels,
        facts,
        at);
  }

  public KnownNode decommissioned(Instant at) {
    return new KnownNode(
        id,
        hostname,
        Lifecycle.DECOMMISSIONED,
        null,
        null,
        false,
        userLabels,
        derivedLabels,
        facts,
        at);
  }

  /** The node joined a cluster, through the reservation that held it. */
  public KnownNode joined(String cluster, Instant at) {
    return new KnownNode(
        id,
        hostname,
        Lifecycle.IN_CLUSTER,
        reservation,
        cluster,
        reachable,
        userLabels,
        derivedLabels,
        facts,
        at);
  }

  /** The node left its cluster and is free. */
  public KnownNode left(Instant at) {
    return new KnownNode(
        id, hostname, Lifecycle.FREE, null, null, reachable, userLabels, derivedLabels, facts, at);
  }

  /** Free to be placed in a cluster: not held by anyone, heartbeating. */
  public boolean free() {
    return lifecycle == Lifecycle.FREE && reachable;
  }

  /** The labels a selector sees: user labels and derived ones. */
  public Map<String, String> labels() {
    Map<String, String> all = new LinkedHashMap<>(userLabels);
    all.putAll(derivedLabels);
    return all;
  }

  /** The state name the validation reports, as node-discovery names it. */
  public String stateName() {
    if (lifecycle == Lifecycle.DECOMMISSIONED) {
      return "DECOMMISSIONED";
    }
    if (!reachable) {
      return "UNREACHABLE";
    }
    switch (lifecycle) {
      case RESERVED:
        return "RESERVED";
      case IN_CLUSTER:
        return "IN_CLUSTER";
      default:
        return "READY";
    }
  }
}
