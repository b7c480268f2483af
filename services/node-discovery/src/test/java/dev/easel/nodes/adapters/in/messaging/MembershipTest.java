package dev.easel.nodes.adapters.in.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.NodeJoinedCluster;
import dev.easel.contracts.nodes.NodeLeftCluster;
import dev.easel.contracts.nodes.NodesReserved;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JoinCluster and LeaveCluster through real Kafka, answered as a saga participant. */
class MembershipTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String REPLIES = "easel.membershiptest.replies";
  private static RunningService service;
  private static NodeCommands commands;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    commands = NodeCommands.answeredOn(REPLIES);
    service = RunningService.start("membership", Map.of());
    token = service.issueToken("membership");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void reservedNodesJoinTheirClusterAllTogetherAndARetrySucceedsAgain() throws Exception {
    UUID a = register();
    UUID b = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      reserve(stream, "m1", a, b);
      commands.send("m1-join", "dev.easel.nodes.JoinCluster.v1", join("m1", "cluster-1", a, b));
      stream
          .andWaitForEventOfType(CommandSucceeded.class)
          .matching(s -> s.requestId().equals("req-m1-join"))
          .toArrive();
      assertThat(
              stream
                  .andWaitForEventOfType(NodeJoinedCluster.class)
                  .matching(j -> j.clusterId().equals("cluster-1"))
                  .toArriveTimes(2))
          .extracting(e -> e.payload().nodeId())
          .containsExactlyInAnyOrder(a, b);
      JsonNode node = node(a);
      assertThat(node.get("state").asString()).isEqualTo("IN_CLUSTER");
      assertThat(node.get("clusterId").asString()).isEqualTo("cluster-1");

      commands.send("m1-join", "dev.easel.nodes.JoinCluster.v1", join("m1", "cluster-1", a, b));
      stream
          .andWaitForEventOfType(CommandSucceeded.class)
          .matching(s -> s.requestId().equals("req-m1-join"))
          .toArriveTimes(2);
      assertThat(
              stream.receivedOfType(NodeJoinedCluster.class).stream()
                  .filter(e -> e.payload().clusterId().equals("cluster-1")))
          .as("a retry announces nothing again")
          .hasSize(2);
    }
  }

  @Test
  void aNodeNotHeldByTheReservationRefusesTheWholeJoinWithItsIdNamed() throws Exception {
    UUID held = register();
    UUID free = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      reserve(stream, "m2", held);
      commands.send(
          "m2-join", "dev.easel.nodes.JoinCluster.v1", join("m2", "cluster-2", held, free));
      CommandFailed refused =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-m2-join"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("nodes-cannot-join");
      assertThat(String.join("\n", refused.details())).contains(free + ": not-reserved");
      assertThat(node(held).get("state").asString()).as("none joined").isEqualTo("RESERVED");
    }
  }

  @Test
  void membersLeaveTheirClusterFreeAndANodeOfAnotherClusterRefusesTheLeave() throws Exception {
    UUID a = register();
    UUID b = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      reserve(stream, "m3", a);
      reserve(stream, "m4", b);
      joined(stream, "m3", "cluster-3", a);
      joined(stream, "m4", "cluster-4", b);

      commands.send("m3-leave-both", "dev.easel.nodes.LeaveCluster.v1", leave("cluster-3", a, b));
      CommandFailed refused =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-m3-leave-both"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("nodes-in-other-cluster");
      assertThat(node(a).get("state").asString()).isEqualTo("IN_CLUSTER");

      commands.send("m3-leave", "dev.easel.nodes.LeaveCluster.v1", leave("cluster-3", a));
      stream
          .andWaitForEventOfType(NodeLeftCluster.class)
          .matching(l -> l.nodeId().equals(a) && l.clusterId().equals("cluster-3"))
          .toArrive();
      assertThat(node(a).get("state").asString()).isEqualTo("READY");
      commands.send("m3-leave", "dev.easel.nodes.LeaveCluster.v1", leave("cluster-3", a));
      stream
          .andWaitForEventOfType(CommandSucceeded.class)
          .matching(s -> s.requestId().equals("req-m3-leave"))
          .toArriveTimes(2);
      stream
          .andWaitForEventOfType(NodeLeftCluster.class)
          .matching(l -> l.nodeId().equals(a))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static void reserve(EventStream stream, String reservation, UUID... nodes) {
    commands.send(
        reservation,
        "dev.easel.nodes.ReserveNodes.v1",
        "{\"reservationId\":\""
            + reservation
            + "\",\"owner\":\"cluster-former\",\"nodeIds\":"
            + ids(nodes)
            + "}");
    stream
        .andWaitForEventOfType(NodesReserved.class)
        .matching(r -> r.reservationId().equals(reservation))
        .toArrive();
  }

  private static void joined(EventStream stream, String reservation, String cluster, UUID node) {
    commands.send(
        reservation + "-join", "dev.easel.nodes.JoinCluster.v1", join(reservation, cluster, node));
    stream
        .andWaitForEventOfType(NodeJoinedCluster.class)
        .matching(j -> j.nodeId().equals(node) && j.clusterId().equals(cluster))
        .toArrive();
  }

  private static String join(String reservation, String cluster, UUID... nodes) {
    return "{\"reservationId\":\""
        + reservation
        + "\",\"clusterId\":\""
        + cluster
        + "\",\"nodeIds\":"
        + ids(nodes)
        + "}";
  }

  private static String leave(String cluster, UUID... nodes) {
    return "{\"clusterId\":\"" + cluster + "\",\"nodeIds\":" + ids(nodes) + "}";
  }

  private static String ids(UUID... nodes) {
    StringBuilder ids = new StringBuilder("[");
    for (UUID n : nodes) {
      ids.append(ids.length() == 1 ? "" : ",").append('"').append(n).append('"');
    }
    return ids.append(']').toString();
  }

  private static UUID register() throws Exception {
    return UUID.fromString(service.registerMachine(token).get("nodeId").asString());
  }

  private static JsonNode node(UUID id) throws Exception {
    return JSON.readTree(service.call("GET", "/api/v1/nodes/" + id, null, null).body());
  }
}
