package dev.easel.nodes.application.port;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.nodes.domain.NodeState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary answers every state, and its total leaves decommissioned nodes out. */
class NodeSummaryTest {

  @Test
  void aStateWithNoNodesCountsZeroAndDecommissionedNodesAreNotInTheTotal() {
    NodeQueries.Summary s =
        NodeQueries.Summary.of(Map.of(NodeState.READY, 3L, NodeState.DECOMMISSIONED, 2L));

    assertThat(s.byState())
        .containsExactly(
            Map.entry(NodeState.READY, 3L),
            Map.entry(NodeState.UNREACHABLE, 0L),
            Map.entry(NodeState.RESERVED, 0L),
            Map.entry(NodeState.IN_CLUSTER, 0L),
            Map.entry(NodeState.DECOMMISSIONED, 2L));
    assertThat(s.total()).isEqualTo(3);
  }

  @Test
  void noNodesAtAllIsEveryStateZero() {
    NodeQueries.Summary s = NodeQueries.Summary.of(Map.of());

    assertThat(s.byState()).hasSize(NodeState.values().length).containsOnlyKeys(NodeState.values());
    assertThat(s.byState().values()).containsOnly(0L);
    assertThat(s.total()).isZero();
  }
}
