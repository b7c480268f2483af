package dev.easel.nodes.application.port;

import dev.easel.contracts.selectors.LabelSelector;
import dev.easel.nodes.application.NodeView;
import dev.easel.nodes.domain.NodeState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads nodes for operators. */
public interface NodeQueries {

  /**
   * One page of nodes in id order.
   *
   * @param selector labels the nodes must match
   * @param state only nodes in this state, or null for all
   * @param pageSize at most this many
   * @param after the last node id of the previous page, or null for the first
   */
  Page list(LabelSelector selector, NodeState state, int pageSize, UUID after);

  Optional<NodeView> find(UUID id);

  /** How many nodes are in each state, counted in one query. */
  Summary summary();

  /** A page and where the next one starts, or null at the end. */
  record Page(List<NodeView> nodes, UUID next) {}

  /**
   * Counts of nodes by state.
   *
   * @param total every node that is not decommissioned: decommissioned nodes are out of service for
   *     good, so they are counted in {@code byState} but not in the total
   * @param byState every {@link NodeState}, in its declared order, 0 when no node is in it
   */
  record Summary(long total, Map<NodeState, Long> byState) {

    /** The summary of these counts; a state missing from them counts 0. */
    public static Summary of(Map<NodeState, Long> counts) {
      Map<NodeState, Long> byState = new EnumMap<>(NodeState.class);
      long total = 0;
      for (NodeState s : NodeState.values()) {
        long n = counts.getOrDefault(s, 0L);
        byState.put(s, n);
        if (s != NodeState.DECOMMISSIONED) {
          total += n;
        }
      }
      return new Summary(total, Collections.unmodifiableMap(byState));
    }
  }
}
