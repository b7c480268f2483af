package dev.easel.nodes.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.nodes.domain.Node.Changed;
import dev.easel.nodes.domain.Node.Refused;
import dev.easel.nodes.domain.Node.Reservation;
import dev.easel.nodes.domain.Node.Unchanged;
import org.junit.jupiter.api.Test;

class NodeStateMachineTest {

  private final Reservation r1 = new Reservation("r1", "cluster-former");
  private final Reservation r2 = new Reservation("r2", "cluster-former");

  private static Node after(Node.Outcome o) {
    assertThat(o).isInstanceOf(Changed.class);
    return ((Changed) o).to();
  }

  @Test
  void aRegisteredNodeIsReadyAndCanBeReservedJoinedAndFreedAgain() {
    Node n = Node.registered();
    assertThat(n.state()).isEqualTo(NodeState.READY);
    Node reserved = after(n.reserve(r1));
    assertThat(reserved.state()).isEqualTo(NodeState.RESERVED);
    assertThat(reserved.heldBy()).contains(r1);
    Node inCluster = after(reserved.join("r1", "c1"));
    assertThat(inCluster.state()).isEqualTo(NodeState.IN_CLUSTER);
    assertThat(after(inCluster.leave("c1")).state()).isEqualTo(NodeState.READY);
  }

  @Test
  void reservingAgainWithTheSameReservationChangesNothingButAnotherIsRefused() {
    Node reserved = after(Node.registered().reserve(r1));
    assertThat(reserved.reserve(r1)).isInstanceOf(Unchanged.class);
    assertThat(reserved.reserve(r2))
        .isInstanceOfSatisfying(Refused.class, f -> assertThat(f.code()).isEqualTo("node-busy"));
  }

  @Test
  void anUnreachableOrDecommissionedNodeCannotBeReserved() {
    Node gone = after(Node.registered().markUnreachable());
    assertThat(gone.reserve(r1))
        .isInstanceOfSatisfying(
            Refused.class, f -> assertThat(f.code()).isEqualTo("node-unreachable"));
    Node retired = after(Node.registered().decommission());
    assertThat(retired.reserve(r1))
        .isInstanceOfSatisfying(
            Refused.class, f -> assertThat(f.code()).isEqualTo("node-decommissioned"));
  }

  @Test
  void unreachableAndRecoveryKeepTheReservation() {
    Node reserved = after(Node.registered().reserve(r1));
    Node lost = after(reserved.markUnreachable());
    assertThat(lost.state()).isEqualTo(NodeState.UNREACHABLE);
    assertThat(lost.heldBy()).contains(r1);
    Node back = after(lost.heartbeat());
    assertThat(back.state()).isEqualTo(NodeState.RESERVED);
    assertThat(back.heldBy()).contains(r1);
  }

  @Test
  void releasingIsIdempotentAndIgnoresOtherReservations() {
    Node reserved = after(Node.registered().reserve(r1));
    assertThat(reserved.release("r2")).isInstanceOf(Unchanged.class);
    Node free = after(reserved.release("r1"));
    assertThat(free.release("r1")).isInstanceOf(Unchanged.class);
  }

  @Test
  void illegalTransitionsAreRefusedNotApplied() {
    Node reserved = after(Node.registered().reserve(r1));
    assertThat(reserved.decommission()).isInstanceOf(Refused.class);
    assertThat(Node.registered().join("r1", "c1")).isInstanceOf(Refused.class);
    assertThat(reserved.join("r2", "c1")).isInstanceOf(Refused.class);
    Node inCluster = after(reserved.join("r1", "c1"));
    assertThat(inCluster.leave("c2")).isInstanceOf(Refused.class);
    Node retired = after(Node.registered().decommission());
    assertThat(retired.heartbeat()).isInstanceOf(Unchanged.class);
    assertThat(retired.state()).isEqualTo(NodeState.DECOMMISSIONED);
  }
}
