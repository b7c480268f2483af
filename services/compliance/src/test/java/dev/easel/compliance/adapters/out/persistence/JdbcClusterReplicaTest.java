package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.compliance.domain.scan.ScanTarget.Node;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The copy of running clusters and profile versions in the real PostgreSQL. */
class JdbcClusterReplicaTest {

  private static JdbcClusterReplica replica;

  @BeforeAll
  static void migrate() {
    replica = new JdbcClusterReplica(Migrated.database("compliance_replica").jdbc());
  }

  private static Node node(String hostname, String role) {
    return new Node(UUID.randomUUID(), hostname, role);
  }

  @Test
  void aRunningClusterIsFoundWithItsProfilesKubernetesVersionAndInitNodeFirst() {
    UUID id = UUID.randomUUID();
    Node worker = node("w-1", "worker");
    Node init = node("cp-1", "init");
    Node cp = node("cp-2", "controlplane");
    replica.profile("edge", "1.0.0", "1.32.3");
    replica.profile("edge", "1.1.0", "1.33.1");
    replica.running(id, "lab", "edge", "1.0.0", List.of(worker, init, cp));

    ScanTarget t = replica.find(id).orElseThrow();
    assertThat(t.name()).isEqualTo("lab");
    assertThat(t.kubernetesVersion()).isEqualTo("1.32.3");
    assertThat(t.nodes()).containsExactly(init, worker, cp);
    assertThat(t.init()).isEqualTo(init);
  }

  @Test
  void aProfileAnnouncedAfterTheClusterStillGivesItsVersion() {
    UUID id = UUID.randomUUID();
    replica.running(id, "late", "late-profile", "2.0.0", List.of(node("cp", "init")));
    assertThat(replica.find(id).orElseThrow().kubernetesVersion()).isNull();
    replica.profile("late-profile", "2.0.0", "1.31.0");
    assertThat(replica.find(id).orElseThrow().kubernetesVersion()).isEqualTo("1.31.0");
  }

  @Test
  void nodesComeAndGoAndTheRunningEventReplacesThem() {
    UUID id = UUID.randomUUID();
    Node init = node("cp-1", "init");
    Node w1 = node("w-1", "worker");
    replica.running(id, "c", null, null, List.of(init));
    replica.nodeAdded(id, w1);
    replica.nodeAdded(id, w1);
    assertThat(replica.find(id).orElseThrow().nodes()).containsExactly(init, w1);

    replica.nodeRemoved(id, w1.nodeId());
    assertThat(replica.find(id).orElseThrow().nodes()).containsExactly(init);

    Node w2 = node("w-2", "worker");
    replica.running(id, "c", null, null, List.of(init, w2));
    assertThat(replica.find(id).orElseThrow().nodes()).containsExactly(init, w2);
  }

  @Test
  void aDeletedOrUnknownClusterIsNotFoundAndKeepsNoNodes() {
    UUID id = UUID.randomUUID();
    replica.running(id, "gone", null, null, List.of(node("cp", "init")));
    replica.deleted(id);
    assertThat(replica.find(id)).isEmpty();

    UUID unknown = UUID.randomUUID();
    replica.nodeAdded(unknown, node("w", "worker"));
    assertThat(replica.find(unknown)).isEmpty();
  }
}
