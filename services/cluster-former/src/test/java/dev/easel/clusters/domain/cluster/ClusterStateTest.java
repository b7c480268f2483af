package dev.easel.clusters.domain.cluster;

import static dev.easel.clusters.domain.cluster.ClusterState.DEGRADED;
import static dev.easel.clusters.domain.cluster.ClusterState.DELETED;
import static dev.easel.clusters.domain.cluster.ClusterState.DELETING;
import static dev.easel.clusters.domain.cluster.ClusterState.FAILED;
import static dev.easel.clusters.domain.cluster.ClusterState.PROVISIONING;
import static dev.easel.clusters.domain.cluster.ClusterState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterStateTest {

  /** Every move the state machine allows; any other is refused. */
  private static final Map<ClusterState, Set<ClusterState>> ALLOWED =
      Map.of(
          // A node may go unreachable while the cluster forms: formed, it is degraded.
          PROVISIONING, EnumSet.of(RUNNING, DEGRADED, FAILED),
          RUNNING, EnumSet.of(DEGRADED, DELETING, DELETED),
          DEGRADED, EnumSet.of(RUNNING, DELETING, DELETED),
          FAILED, EnumSet.of(DELETING, DELETED),
          DELETING, EnumSet.of(DELETED, FAILED),
          DELETED, EnumSet.noneOf(ClusterState.class));

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (ClusterState from : ClusterState.values()) {
      for (ClusterState to : ClusterState.values()) {
        pairs.add(Arguments.of(from, to, ALLOWED.get(from).contains(to)));
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("everyPair")
  void allowsExactlyTheMovesOfTheStateMachine(ClusterState from, ClusterState to, boolean allowed) {
    assertThat(from.canBecome(to)).isEqualTo(allowed);
  }

  @Test
  void noStateBecomesItself() {
    for (ClusterState s : ClusterState.values()) {
      assertThat(s.canBecome(s)).as(s.name()).isFalse();
    }
  }

  @Test
  void aDeletedClusterGoesNowhere() {
    for (ClusterState s : ClusterState.values()) {
      assertThat(DELETED.canBecome(s)).as(s.name()).isFalse();
    }
  }

  @Test
  void aForcedDeletionIsAllowedFromEveryStateButProvisioningAndDeleted() {
    for (ClusterState s : ClusterState.values()) {
      assertThat(s.canBecome(DELETED)).as(s.name()).isEqualTo(s != PROVISIONING && s != DELETED);
    }
  }

  @Test
  void onlyARunningOrDegradedClusterIsServing() {
    for (ClusterState s : ClusterState.values()) {
      assertThat(s.serving()).as(s.name()).isEqualTo(s == RUNNING || s == DEGRADED);
    }
  }
}
