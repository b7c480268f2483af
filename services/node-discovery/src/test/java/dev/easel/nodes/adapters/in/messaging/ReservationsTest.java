package dev.easel.nodes.adapters.in.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.NodeReleased;
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
import tools.jackson.databind.json.JsonMapper;

/** ReserveNodes and ReleaseNodes through real Kafka, answered as a saga participant. */
class ReservationsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String REPLIES = "easel.reservationtest.replies";
  private static RunningService service;
  private static NodeCommands commands;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    commands = NodeCommands.answeredOn(REPLIES);
    service = RunningService.start("reservations", Map.of());
    token = service.issueToken("res");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void reservesAllNodesOrNoneAndARetryWithTheSameReservationSucceedsAgain() throws Exception {
    UUID a = register();
    UUID b = register();
    UUID c = register();
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      command("r1", "dev.easel.nodes.ReserveNodes.v1", reserve("r1", a, b));
      replies
          .andWaitForEventOfType(NodesReserved.class)
          .matching(r -> r.reservationId().equals("r1"))
          .toArrive();
      assertThat(state(a)).isEqualTo("RESERVED");

      command("r2", "dev.easel.nodes.ReserveNodes.v1", reserve("r2", b, c));
      CommandFailed refused =
          replies
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-r2"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("nodes-unavailable");
      assertThat(refused.details())
          .singleElement()
          .asString()
          .contains(b.toString())
          .contains("node-busy");
      assertThat(state(c)).as("all or none: c stayed free").isEqualTo("READY");

      command("r1", "dev.easel.nodes.ReserveNodes.v1", reserve("r1", a, b));
      replies
          .andWaitForEventOfType(NodesReserved.class)
          .matching(r -> r.reservationId().equals("r1"))
          .toArriveTimes(2);
    }
  }

  @Test
  void aMissingNodeIsNamedInTheRefusal() throws Exception {
    UUID a = register();
    UUID ghost = UUID.randomUUID();
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      command("r3", "dev.easel.nodes.ReserveNodes.v1", reserve("r3", a, ghost));
      CommandFailed refused =
          replies
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-r3"))
              .toArrive()
              .payload();
      assertThat(refused.details())
          .singleElement()
          .asString()
          .contains(ghost.toString())
          .contains("node-missing");
    }
    assertThat(state(a)).isEqualTo("READY");
  }

  @Test
  void releasingIsIdempotentAndAReserveArrivingAfterItsReleaseIsRefused() throws Exception {
    UUID a = register();
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      command("r4", "dev.easel.nodes.ReserveNodes.v1", reserve("r4", a));
      replies
          .andWaitForEventOfType(NodesReserved.class)
          .matching(r -> r.reservationId().equals("r4"))
          .toArrive();
      command("r4", "dev.easel.nodes.ReleaseNodes.v1", "{\"reservationId\":\"r4\",\"nodeIds\":[]}");
      command("r4", "dev.easel.nodes.ReleaseNodes.v1", "{\"reservationId\":\"r4\",\"nodeIds\":[]}");
      replies
          .andWaitForEventOfType(CommandSucceeded.class)
          .matching(s -> s.requestId().equals("req-r4"))
          .toArriveTimes(2);
      replies
          .andWaitForEventOfType(NodeReleased.class)
          .matching(e -> e.nodeId().equals(a))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
      assertThat(state(a)).isEqualTo("READY");

      command("r5", "dev.easel.nodes.ReleaseNodes.v1", "{\"reservationId\":\"r5\",\"nodeIds\":[]}");
      command("r5", "dev.easel.nodes.ReserveNodes.v1", reserve("r5", a));
      CommandFailed late =
          replies
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-r5"))
              .toArrive()
              .payload();
      assertThat(late.code()).isEqualTo("reservation-released");
      assertThat(state(a)).isEqualTo("READY");
    }
  }

  @Test
  void aDuplicatedCommandIsAnsweredOnce() throws Exception {
    UUID a = register();
    String id = UUID.randomUUID().toString();
    try (EventStream replies = EventStream.watch(REGISTRY, REPLIES)) {
      send(id, "r6", "dev.easel.nodes.ReserveNodes.v1", reserve("r6", a));
      send(id, "r6", "dev.easel.nodes.ReserveNodes.v1", reserve("r6", a));
      replies
          .andWaitForEventOfType(NodesReserved.class)
          .matching(r -> r.reservationId().equals("r6"))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(2));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static String reserve(String reservation, UUID... nodes) {
    StringBuilder ids = new StringBuilder();
    for (UUID n : nodes) {
      ids.append(ids.length() == 0 ? "" : ",").append('"').append(n).append('"');
    }
    return "{\"reservationId\":\""
        + reservation
        + "\",\"owner\":\"cluster-former\",\"nodeIds\":["
        + ids
        + "]}";
  }

  private static void command(String reservation, String type, String body) {
    commands.send(reservation, type, body);
  }

  private static void send(String id, String reservation, String type, String body) {
    commands.send(id, reservation, type, body);
  }

  private static UUID register() throws Exception {
    return UUID.fromString(service.registerMachine(token).get("nodeId").asString());
  }

  private static String state(UUID id) throws Exception {
    return JSON.readTree(service.call("GET", "/api/v1/nodes/" + id, null, null).body())
        .get("state")
        .asString();
  }
}
