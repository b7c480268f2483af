package dev.easel.clusters.domain.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.RegistryConfig;
import dev.easel.clusters.domain.render.NodeRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterTest {

  private static final UUID ID = UUID.fromString("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant AT = Instant.parse("2026-01-01T01:00:00Z");
  private static final Instant LATER = Instant.parse("2026-01-01T02:00:00Z");

  private static final Member INIT = member(1, "edge-cp-1", "cp", NodeRole.INIT);
  private static final Member CP_2 = member(2, "edge-cp-2", "cp", NodeRole.CONTROL_PLANE);
  private static final Member CP_3 = member(3, "edge-cp-3", "cp", NodeRole.CONTROL_PLANE);
  private static final Member WORKER_1 = member(11, "edge-w-1", "w", NodeRole.WORKER);
  private static final Member WORKER_2 = member(12, "edge-w-2", "w", NodeRole.WORKER);
  private static final UUID STRANGER = UUID.fromString("00000000-0000-4000-8000-000000000099");

  private static final Failure INSTALL_FAILED =
      new Failure("install-init", INIT.nodeId(), "plan-failed: boom", "kubeadm: error");

  // ---- forming --------------------------------------------------------------------------------

  @Test
  void aFormedClusterIsRunningWithoutAFailure() {
    Cluster formed = cluster(ClusterState.PROVISIONING).formed(AT);

    assertThat(formed.state()).isEqualTo(ClusterState.RUNNING);
    assertThat(formed.failure()).isNull();
    assertThat(formed.updatedAt()).isEqualTo(AT);
    assertThat(formed.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void aClusterFormedWhileANodeWasUnreachableIsDegraded() {
    Cluster forming =
        cluster(ClusterState.PROVISIONING).nodeUnreachable(WORKER_1.nodeId(), CREATED);

    Cluster formed = forming.formed(AT);

    assertThat(formed.state()).isEqualTo(ClusterState.DEGRADED);
    assertThat(formed.unreachable()).containsExactly(WORKER_1.nodeId());
  }

  @Test
  void aClusterThatIsRunningFailedOrDeletedCannotBeFormedAgain() {
    for (ClusterState s :
        List.of(
            ClusterState.RUNNING,
            ClusterState.FAILED,
            ClusterState.DELETING,
            ClusterState.DELETED)) {
      Cluster c = cluster(s);
      assertThatThrownBy(() -> c.formed(AT))
          .as(s.name())
          .isInstanceOfSatisfying(
              ClusterStateException.class, e -> assertThat(e.state()).isEqualTo(s))
          .hasMessageContaining("cannot become");
    }
  }

  @Test
  void aFailedFormationRecordsWhy() {
    Cluster failed = cluster(ClusterState.PROVISIONING).failed(INSTALL_FAILED, AT);

    assertThat(failed.state()).isEqualTo(ClusterState.FAILED);
    assertThat(failed.failure()).isEqualTo(INSTALL_FAILED);
    assertThat(failed.updatedAt()).isEqualTo(AT);
  }

  @Test
  void aDeletionThatFailsLeavesTheClusterFailed() {
    Failure resetFailed = new Failure("reset-workers", WORKER_1.nodeId(), "plan-failed", "");

    Cluster failed =
        cluster(ClusterState.RUNNING).deleting(UUID.randomUUID(), AT).failed(resetFailed, LATER);

    assertThat(failed.state()).isEqualTo(ClusterState.FAILED);
    assertThat(failed.failure()).isEqualTo(resetFailed);
  }

  @Test
  void onlyAFormingOrDeletingClusterCanFail() {
    for (ClusterState s : ClusterState.values()) {
      Cluster c = cluster(s);
      if (s == ClusterState.PROVISIONING || s == ClusterState.DELETING) {
        assertThat(c.failed(INSTALL_FAILED, AT).state()).isEqualTo(ClusterState.FAILED);
      } else {
        assertThatThrownBy(() -> c.failed(INSTALL_FAILED, AT))
            .as(s.name())
            .isInstanceOf(ClusterStateException.class);
      }
    }
  }

  // ---- deleting -------------------------------------------------------------------------------

  @Test
  void aServingOrFailedClusterStartsItsDeletionWithItsSaga() {
    UUID saga = UUID.randomUUID();
    for (ClusterState s :
        List.of(ClusterState.RUNNING, ClusterState.DEGRADED, ClusterState.FAILED)) {
      Cluster deleting = cluster(s).deleting(saga, AT);

      assertThat(deleting.state()).as(s.name()).isEqualTo(ClusterState.DELETING);
      assertThat(deleting.sagaId()).isEqualTo(saga);
      assertThat(deleting.updatedAt()).isEqualTo(AT);
    }
  }

  @Test
  void aFailedClusterKeepsItsFailureWhileItIsDeleted() {
    Cluster failed = cluster(ClusterState.PROVISIONING).failed(INSTALL_FAILED, AT);

    Cluster deleted = failed.deleting(UUID.randomUUID(), LATER).deleted(LATER);

    assertThat(deleted.state()).isEqualTo(ClusterState.DELETED);
    assertThat(deleted.failure()).isEqualTo(INSTALL_FAILED);
  }

  @Test
  void aClusterBeingFormedOrAlreadyBeingDeletedCannotStartADeletion() {
    for (ClusterState s :
        List.of(ClusterState.PROVISIONING, ClusterState.DELETING, ClusterState.DELETED)) {
      Cluster c = cluster(s);
      assertThatThrownBy(() -> c.deleting(UUID.randomUUID(), AT))
          .as(s.name())
          .isInstanceOf(ClusterStateException.class);
    }
  }

  @Test
  void aClusterIsDeletedFromEveryStateButProvisioningAndDeleted() {
    for (ClusterState s : ClusterState.values()) {
      Cluster c = cluster(s);
      if (s == ClusterState.PROVISIONING || s == ClusterState.DELETED) {
        assertThatThrownBy(() -> c.deleted(AT))
            .as(s.name())
            .isInstanceOfSatisfying(
                ClusterStateException.class, e -> assertThat(e.state()).isEqualTo(s));
      } else {
        assertThat(c.deleted(AT).state()).as(s.name()).isEqualTo(ClusterState.DELETED);
      }
    }
  }

  @Test
  void theSagaCanBeRecordedWithoutChangingAnythingElse() {
    Cluster c = cluster(ClusterState.PROVISIONING);
    UUID saga = UUID.randomUUID();

    Cluster with = c.withSaga(saga);

    assertThat(with.sagaId()).isEqualTo(saga);
    assertThat(with.state()).isEqualTo(c.state());
    assertThat(with.updatedAt()).isEqualTo(c.updatedAt());
  }

  // ---- reachability ---------------------------------------------------------------------------

  @Test
  void aRunningClusterWithAnUnreachableMemberIsDegraded() {
    Cluster degraded = cluster(ClusterState.RUNNING).nodeUnreachable(WORKER_1.nodeId(), AT);

    assertThat(degraded.state()).isEqualTo(ClusterState.DEGRADED);
    assertThat(degraded.unreachable()).containsExactly(WORKER_1.nodeId());
    assertThat(degraded.updatedAt()).isEqualTo(AT);
  }

  @Test
  void aNodeThatIsNotAMemberChangesNothing() {
    Cluster c = cluster(ClusterState.RUNNING);

    assertThat(c.nodeUnreachable(STRANGER, AT)).isSameAs(c);
    assertThat(c.nodeRecovered(STRANGER, AT)).isSameAs(c);
  }

  @Test
  void aMemberReportedUnreachableTwiceChangesNothingTheSecondTime() {
    Cluster degraded = cluster(ClusterState.RUNNING).nodeUnreachable(WORKER_1.nodeId(), AT);

    assertThat(degraded.nodeUnreachable(WORKER_1.nodeId(), LATER)).isSameAs(degraded);
  }

  @Test
  void aMemberThatWasNeverUnreachableRecoversWithoutChange() {
    Cluster c = cluster(ClusterState.RUNNING);

    assertThat(c.nodeRecovered(WORKER_1.nodeId(), AT)).isSameAs(c);
  }

  @Test
  void aClusterThatIsNotServingOnlyRemembersTheUnreachableMember() {
    for (ClusterState s :
        List.of(
            ClusterState.PROVISIONING,
            ClusterState.FAILED,
            ClusterState.DELETING,
            ClusterState.DELETED)) {
      Cluster after = cluster(s).nodeUnreachable(CP_2.nodeId(), AT);

      assertThat(after.state()).as(s.name()).isEqualTo(s);
      assertThat(after.unreachable()).containsExactly(CP_2.nodeId());
    }
  }

  @Test
  void aDegradedClusterRunsAgainOnlyWhenEveryMemberIsBack() {
    Cluster twoDown =
        cluster(ClusterState.RUNNING)
            .nodeUnreachable(WORKER_1.nodeId(), AT)
            .nodeUnreachable(CP_2.nodeId(), AT);
    assertThat(twoDown.state()).isEqualTo(ClusterState.DEGRADED);
    assertThat(twoDown.unreachable()).containsExactlyInAnyOrder(WORKER_1.nodeId(), CP_2.nodeId());

    Cluster oneDown = twoDown.nodeRecovered(WORKER_1.nodeId(), LATER);
    assertThat(oneDown.state()).isEqualTo(ClusterState.DEGRADED);
    assertThat(oneDown.unreachable()).containsExactly(CP_2.nodeId());

    Cluster allBack = oneDown.nodeRecovered(CP_2.nodeId(), LATER);
    assertThat(allBack.state()).isEqualTo(ClusterState.RUNNING);
    assertThat(allBack.unreachable()).isEmpty();
    assertThat(allBack.updatedAt()).isEqualTo(LATER);
  }

  @Test
  void aMemberRecoveringWhileTheClusterIsBeingDeletedLeavesItDeleting() {
    Cluster deleting =
        cluster(ClusterState.RUNNING)
            .nodeUnreachable(WORKER_1.nodeId(), AT)
            .deleting(UUID.randomUUID(), AT);

    Cluster after = deleting.nodeRecovered(WORKER_1.nodeId(), LATER);

    assertThat(after.state()).isEqualTo(ClusterState.DELETING);
    assertThat(after.unreachable()).isEmpty();
  }

  @Test
  void aMemberRecoveringWhileTheClusterFormsLeavesItProvisioning() {
    Cluster forming = cluster(ClusterState.PROVISIONING).nodeUnreachable(WORKER_1.nodeId(), AT);

    Cluster after = forming.nodeRecovered(WORKER_1.nodeId(), LATER);

    assertThat(after.state()).isEqualTo(ClusterState.PROVISIONING);
    assertThat(after.formed(LATER).state()).isEqualTo(ClusterState.RUNNING);
  }

  // ---- members --------------------------------------------------------------------------------

  @Test
  void aDeletionResetsWorkersThenControlPlanesThenTheInitNode() {
    Cluster c =
        new Cluster(
            ID,
            "edge",
            Map.of(),
            Cluster.MANAGEMENT,
            "appliance",
            "1.0.0",
            config(),
            pools(),
            List.of(INIT, WORKER_1, CP_2, WORKER_2, CP_3),
            ClusterState.RUNNING,
            Set.of(),
            null,
            null,
            CREATED,
            CREATED);

    assertThat(c.teardownOrder()).containsExactly(WORKER_1, WORKER_2, CP_2, CP_3, INIT);
  }

  @Test
  void theInitNodeIsTheMemberWithTheInitRole() {
    Cluster c = cluster(ClusterState.RUNNING);

    assertThat(c.init()).isEqualTo(INIT);
    assertThat(c.nodeIds()).containsExactly(INIT.nodeId(), CP_2.nodeId(), WORKER_1.nodeId());
    assertThat(c.hasMember(CP_2.nodeId())).isTrue();
    assertThat(c.hasMember(STRANGER)).isFalse();
  }

  @Test
  void aClusterWithoutAnInitNodeSaysSo() {
    Cluster c = withMembers(List.of(CP_2, WORKER_1));

    assertThatThrownBy(c::init)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no init node");
  }

  @Test
  void missingCollectionsAreEmpty() {
    Cluster c =
        new Cluster(
            ID,
            "edge",
            null,
            Cluster.WORKLOAD,
            "p",
            "1",
            null,
            null,
            null,
            ClusterState.PROVISIONING,
            null,
            null,
            null,
            CREATED,
            CREATED);

    assertThat(c.tags()).isEmpty();
    assertThat(c.pools()).isEmpty();
    assertThat(c.members()).isEmpty();
    assertThat(c.unreachable()).isEmpty();
    assertThat(c.teardownOrder()).isEmpty();
  }

  @Test
  void aPoolWithoutLabelsOrTaintsHasEmptyOnes() {
    Cluster.Pool pool = new Cluster.Pool("w", "worker", false, null, null);

    assertThat(pool.labels()).isEmpty();
    assertThat(pool.taints()).isEmpty();
  }

  // ---- fixture --------------------------------------------------------------------------------

  /** A three-node cluster put straight into a state, as it is read back from storage. */
  private static Cluster cluster(ClusterState state) {
    return withMembers(List.of(INIT, CP_2, WORKER_1), state);
  }

  private static Cluster withMembers(List<Member> members) {
    return withMembers(members, ClusterState.PROVISIONING);
  }

  private static Cluster withMembers(List<Member> members, ClusterState state) {
    return new Cluster(
        ID,
        "edge",
        Map.of("site", "lab"),
        Cluster.MANAGEMENT,
        "appliance",
        "1.0.0",
        config(),
        pools(),
        members,
        state,
        Set.of(),
        null,
        null,
        CREATED,
        CREATED);
  }

  private static ClusterConfig config() {
    return new ClusterConfig(
        "100.64.0.0/18",
        "100.64.64.0/18",
        "10.10.0.100",
        List.of("ntp1.example.internal"),
        List.of(),
        "/dev/sdb",
        1,
        RegistryConfig.inClusterDefaults());
  }

  private static List<Cluster.Pool> pools() {
    return List.of(
        new Cluster.Pool("cp", "control-plane", true, Map.of(), List.of()),
        new Cluster.Pool("w", "worker", false, Map.of(), List.of()));
  }

  private static Member member(int n, String hostname, String pool, NodeRole role) {
    return new Member(
        UUID.fromString(String.format("00000000-0000-4000-8000-%012d", n)), hostname, pool, role);
  }
}
