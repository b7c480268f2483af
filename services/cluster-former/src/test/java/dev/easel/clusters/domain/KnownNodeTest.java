package dev.easel.clusters.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KnownNodeTest {

  private final UUID id = UUID.randomUUID();
  private final Instant t = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void aNewNodeIsFreeAndSplitsItsLabelsIntoUserAndDerived() {
    KnownNode n =
        KnownNode.registered(
            null, id, "n1", Map.of("site", "lab", "easel.dev/cores", "8"), null, t);
    assertThat(n.free()).isTrue();
    assertThat(n.stateName()).isEqualTo("READY");
    assertThat(n.userLabels()).containsOnlyKeys("site");
    assertThat(n.derivedLabels()).containsOnlyKeys("easel.dev/cores");
    assertThat(n.labels()).containsOnlyKeys("site", "easel.dev/cores");
  }

  @Test
  void aReservedNodeRegisteringAgainStaysReservedAndBecomesReachable() {
    KnownNode reserved =
        KnownNode.registered(null, id, "n1", Map.of(), null, t).reserved("r-1", t).unreachable(t);
    assertThat(reserved.stateName()).isEqualTo("UNREACHABLE");
    KnownNode again = KnownNode.registered(reserved, id, "n1", Map.of(), null, t);
    assertThat(again.stateName()).isEqualTo("RESERVED");
    assertThat(again.reservation()).isEqualTo("r-1");
    assertThat(again.released(t).free()).isTrue();
  }

  @Test
  void labelChangesNeverTouchDerivedLabels() {
    KnownNode n =
        KnownNode.registered(null, id, "n1", Map.of("easel.dev/cores", "8"), null, t)
            .labelsChanged(Map.of("site", "edge", "easel.dev/cores", "999"), t);
    assertThat(n.labels()).containsEntry("easel.dev/cores", "8").containsEntry("site", "edge");
  }

  @Test
  void aDecommissionedNodeIsNeverFreeAgainNotEvenWhenItHeartbeats() {
    KnownNode n = KnownNode.registered(null, id, "n1", Map.of(), null, t).decommissioned(t);
    assertThat(n.free()).isFalse();
    assertThat(n.recovered(t).free()).isFalse();
    assertThat(n.stateName()).isEqualTo("DECOMMISSIONED");
  }

  @Test
  void aNodeThatJoinedAClusterIsInItUntilItLeavesAndThenIsFree() {
    KnownNode member =
        KnownNode.registered(null, id, "n1", Map.of(), null, t)
            .reserved("r-1", t)
            .joined("cluster-1", t);
    assertThat(member.stateName()).isEqualTo("IN_CLUSTER");
    assertThat(member.clusterId()).isEqualTo("cluster-1");
    assertThat(KnownNode.registered(member, id, "n1", Map.of(), null, t).clusterId())
        .as("registering again keeps the membership")
        .isEqualTo("cluster-1");
    KnownNode left = member.left(t);
    assertThat(left.free()).isTrue();
    assertThat(left.clusterId()).isNull();
  }
}
