package dev.easel.nodes.application.port;

import dev.easel.contracts.selectors.LabelSelector;
import dev.easel.nodes.application.NodeView;
import dev.easel.nodes.domain.NodeState;
import java.util.List;
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

  /** A page and where the next one starts, or null at the end. */
  record Page(List<NodeView> nodes, UUID next) {}
}
