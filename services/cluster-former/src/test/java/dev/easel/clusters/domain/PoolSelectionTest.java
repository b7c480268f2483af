package dev.easel.clusters.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.clusters.domain.config.NodePoolSpec;
import dev.easel.contracts.nodes.NodeFacts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PoolSelectionTest {

  private static KnownNode node(String host, Map<String, String> labels, boolean preflight) {
    NodeFacts facts =
        new NodeFacts(
            "baremetal",
            "amd64",
            16,
            32L << 30,
            List.of(),
            List.of(),
            preflight,
            preflight ? List.of() : List.of("cpu: 4 CPUs"));
    return KnownNode.registered(null, UUID.randomUUID(), host, labels, facts, Instant.EPOCH);
  }

  private static ClusterRequest.PoolRequest selector(String name, String role, String sel, int n) {
    return new ClusterRequest.PoolRequest(name, role, null, null, sel, n, null, null);
  }

  @Test
  void aSelectorPicksMatchingFreeNodesThatPassPreflightInHostNameOrder() {
    KnownNode a = node("a", Map.of("site", "lab", "easel.dev/cores", "16"), true);
    KnownNode b = node("b", Map.of("site", "lab", "easel.dev/cores", "4"), true);
    KnownNode c = node("c", Map.of("site", "lab", "easel.dev/cores", "16"), false);
    KnownNode d = node("d", Map.of("site", "lab", "easel.dev/cores", "32"), true);

    PoolSelection.Result r =
        PoolSelection.resolve(
            List.of(selector("cp", "control-plane", "site=lab,easel.dev/cores>=8", 2)),
            List.of(a, b, c, d));

    assertThat(r.problems()).isEmpty();
    assertThat(r.pools().get(0).nodeIds()).containsExactly(a.id(), d.id());
    assertThat(r.pools().get(0).role()).isEqualTo(NodePoolSpec.Role.CONTROL_PLANE);
    assertThat(r.pools().get(0).allowWorkloads())
        .as("with no worker pool, the control plane runs the workloads")
        .isTrue();
  }

  @Test
  void aSelectorNeverPicksANodeAnotherPoolNamedOrPicked() {
    KnownNode a = node("a", Map.of("site", "lab"), true);
    KnownNode b = node("b", Map.of("site", "lab"), true);
    KnownNode c = node("c", Map.of("site", "lab"), true);
    PoolSelection.Result r =
        PoolSelection.resolve(
            List.of(
                new ClusterRequest.PoolRequest(
                    "cp", "control-plane", null, List.of(a.id()), null, null, null, null),
                selector("w1", "worker", "site=lab", 1),
                selector("w2", "worker", "site=lab", 1)),
            List.of(a, b, c));
    assertThat(r.problems()).isEmpty();
    assertThat(r.pools().get(1).nodeIds()).containsExactly(b.id());
    assertThat(r.pools().get(2).nodeIds()).containsExactly(c.id());
    assertThat(r.pools().get(1).allowWorkloads()).isTrue();
    assertThat(r.pools().get(0).allowWorkloads())
        .as("with worker pools, the control plane keeps to itself")
        .isFalse();
  }

  @Test
  void tooFewMatchingNodesAnInvalidSelectorAndAMissingRoleAreEachNamed() {
    KnownNode a = node("a", Map.of("site", "lab"), true);
    PoolSelection.Result r =
        PoolSelection.resolve(
            List.of(
                selector("cp", "control-plane", "site=lab", 3),
                selector("w", "worker", "site in (", 1),
                new ClusterRequest.PoolRequest("x", null, null, null, null, null, null, null)),
            List.of(a));
    assertThat(r.problems())
        .extracting(p -> p.field() + " " + p.code())
        .containsExactlyInAnyOrder(
            "nodePools[0].count not-enough-nodes",
            "nodePools[1].selector invalid-selector",
            "nodePools[2].role required",
            "nodePools[2].count required");
    assertThat(r.problems().get(0).message()).contains("3 node(s) asked for, but only 1");
  }

  @Test
  void explicitNodesTogetherWithASelectorAreRefused() {
    UUID id = UUID.randomUUID();
    PoolSelection.Result r =
        PoolSelection.resolve(
            List.of(
                new ClusterRequest.PoolRequest(
                    "cp", "control-plane", null, List.of(id), "site=lab", 1, null, null)),
            List.of());
    assertThat(r.problems()).extracting(FieldProblem::code).containsExactly("nodes-and-selector");
  }
}
