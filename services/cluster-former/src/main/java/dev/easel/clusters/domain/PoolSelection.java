package dev.easel.clusters.domain;

import dev.easel.clusters.domain.config.NodePoolSpec;
import dev.easel.contracts.selectors.InvalidSelectorException;
import dev.easel.contracts.selectors.LabelSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Turns the pools an operator asked for into node ids. Explicit nodes are taken as given (their
 * checks come later, with every other problem); a selector picks, in host name order, free nodes
 * that match it and that no other pool named or picked.
 */
public final class PoolSelection {

  /** A pool may select at most this many nodes. */
  public static final int MAX_COUNT = 1000;

  private PoolSelection() {}

  /** The resolved pools, and the problems of resolving them. */
  public record Result(List<NodePoolSpec> pools, List<FieldProblem> problems) {}

  public static Result resolve(List<ClusterRequest.PoolRequest> requests, List<KnownNode> free) {
    List<FieldProblem> problems = new ArrayList<>();
    List<NodePoolSpec> pools = new ArrayList<>();
    Set<UUID> taken = new HashSet<>();
    boolean workers = requests.stream().anyMatch(r -> r != null && "worker".equals(r.role()));
    for (ClusterRequest.PoolRequest r : requests) {
      if (r != null && r.nodes() != null) {
        taken.addAll(r.nodes());
      }
    }
    for (int i = 0; i < requests.size(); i++) {
      ClusterRequest.PoolRequest r = requests.get(i);
      String field = "nodePools[" + i + "]";
      if (r == null) {
        continue; // the config validation names an empty pool
      }
      NodePoolSpec.Role role = role(r.role(), field, problems);
      // Control-plane nodes take workloads only when asked, or when there are no workers at all.
      boolean allow =
          r.allowWorkloads() != null
              ? r.allowWorkloads()
              : role != NodePoolSpec.Role.CONTROL_PLANE || !workers;
      if (r.nodes() != null) {
        if (r.selector() != null || r.count() != null) {
          problems.add(
              new FieldProblem(
                  field,
                  "nodes-and-selector",
                  "give either nodes or a selector with a count, not both"));
        }
        pools.add(new NodePoolSpec(r.name(), role, allow, r.nodes()));
        continue;
      }
      if (r.count() == null || r.count() < 1 || r.count() > MAX_COUNT) {
        problems.add(
            new FieldProblem(
                field + ".count",
                r.count() == null ? "required" : "invalid-count",
                "a pool without explicit nodes needs a count from 1 to " + MAX_COUNT));
        pools.add(new NodePoolSpec(r.name(), role, allow, List.of()));
        continue;
      }
      LabelSelector selector;
      try {
        selector =
            r.selector() == null || r.selector().isBlank()
                ? LabelSelector.everything()
                : LabelSelector.parse(r.selector());
      } catch (InvalidSelectorException e) {
        problems.add(new FieldProblem(field + ".selector", "invalid-selector", e.getMessage()));
        pools.add(new NodePoolSpec(r.name(), role, allow, List.of()));
        continue;
      }
      List<UUID> picked = new ArrayList<>();
      for (KnownNode n : free) {
        if (picked.size() == r.count()) {
          break;
        }
        if (!taken.contains(n.id())
            && n.facts() != null
            && n.facts().preflightPassed()
            && selector.matches(n.labels())) {
          picked.add(n.id());
        }
      }
      if (picked.size() < r.count()) {
        problems.add(
            new FieldProblem(
                field + ".count",
                "not-enough-nodes",
                r.count()
                    + " node(s) asked for, but only "
                    + picked.size()
                    + " free node(s) that pass preflight match '"
                    + selector
                    + "'"));
      }
      taken.addAll(picked);
      pools.add(new NodePoolSpec(r.name(), role, allow, picked));
    }
    return new Result(pools, problems);
  }

  private static NodePoolSpec.Role role(String role, String field, List<FieldProblem> problems) {
    if ("control-plane".equals(role)) {
      return NodePoolSpec.Role.CONTROL_PLANE;
    }
    if ("worker".equals(role)) {
      return NodePoolSpec.Role.WORKER;
    }
    problems.add(
        new FieldProblem(
            field + ".role",
            role == null ? "required" : "invalid-role",
            "the role is control-plane or worker"));
    return NodePoolSpec.Role.WORKER;
  }
}
