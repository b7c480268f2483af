package dev.easel.nodes.adapters.in.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.common.crypto.PlanSecrets;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plan secrets sealed to node-discovery's plan key on their way through Kafka (ADR 0010), with the
 * service started with the test JVM's private key, on a commands topic of its own: what crosses the
 * broker is sealed, the node's agent gets the clear content, and a secret sent in the clear or
 * moved from where it was sealed is refused.
 */
class SealedPlanSecretsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String COMMANDS = "easel.nodes.commands.sealed";
  private static final String REPLIES = "easel.sealed.replies";
  private static final String PATH = "/run/easel/velero/credentials";
  private static final String SECRET =
      "[default]\naws_access_key_id=AKIAEASELTEST\naws_secret_access_key=Zm9vYmFyYmF6cXV4";

  private static RunningService service;
  private static NodeCommands commands;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    commands = NodeCommands.onTopic(COMMANDS, REPLIES);
    service =
        RunningService.start(
            "plans_sealed",
            Map.of("spring.cloud.stream.bindings.nodeCommands-in-0.destination", COMMANDS));
    token = service.issueToken("sealed");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void aSealedSecretCrossesKafkaSealedAndReachesTheNodesAgentInTheClear() throws Exception {
    Agent n = register();
    RunPlan plan =
        NodeCommands.SEALING.seal(
            new RunPlan(n.id, "sealed-1", "test", List.of(backup("backup", SECRET)), false));
    String sealed = plan.steps().get(0).secretFiles().get(PATH);
    assertThat(sealed).startsWith(PlanSecrets.PREFIX);

    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      commands.send("sealed-1", "dev.easel.nodes.RunPlan.v1", JSON.writeValueAsString(plan));
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("sealed-1"))
          .toArrive();
    }

    JsonNode fed = poll(n).get("plans").get(0).get("steps").get(0);
    assertThat(fed.get("secretFiles").get(PATH).asString())
        .as("the node's agent gets the content in the clear")
        .isEqualTo(SECRET);

    List<ConsumerRecord<String, byte[]>> onTheWire = records(COMMANDS, "sealed-1", 1);
    for (ConsumerRecord<String, byte[]> r : onTheWire) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      assertThat(value).contains(PlanSecrets.PREFIX).doesNotContain("aws_secret_access_key");
      assertThat(value).doesNotContain("Zm9vYmFyYmF6cXV4").doesNotContain("AKIAEASELTEST");
      for (Header h : r.headers()) {
        assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain("Zm9vYmFy");
      }
    }
    assertThat(records(REPLIES, null, 1))
        .allSatisfy(
            r ->
                assertThat(new String(r.value(), StandardCharsets.UTF_8))
                    .doesNotContain("Zm9vYmFy"));
    HttpResponse<String> operators = service.call("GET", "/api/v1/plans/sealed-1", null, null);
    assertThat(operators.body())
        .contains(PATH)
        .doesNotContain("Zm9vYmFy")
        .doesNotContain(sealed.substring(PlanSecrets.PREFIX.length(), 60));
  }

  @Test
  void aSecretSentInTheClearIsRefusedNamingItsStepAndPathButNotItsContent() throws Exception {
    Agent n = register();
    RunPlan clear = new RunPlan(n.id, "clear-1", "test", List.of(backup("backup", SECRET)), false);

    CommandFailed refused = refusal("clear-1", clear);

    assertThat(refused.code()).isEqualTo("invalid-plan");
    assertThat(refused.details())
        .singleElement()
        .asString()
        .contains("'backup'", PATH, "in the clear", "easel.plans.public-key-file");
    assertThat(refused.reason() + refused.details()).doesNotContain("Zm9vYmFy");
    assertThat(service.call("GET", "/api/v1/plans/clear-1", null, null).statusCode())
        .as("nothing was queued")
        .isEqualTo(404);
  }

  @Test
  void aSealedValueMovedToAnotherStepOrPlanIsRefused() throws Exception {
    Agent n = register();
    String sealedForA =
        NodeCommands.SEALING
            .seal(new RunPlan(n.id, "moved-1", "test", List.of(backup("a", SECRET)), false))
            .steps()
            .get(0)
            .secretFiles()
            .get(PATH);
    RunPlan movedToB =
        new RunPlan(
            n.id, "moved-1", "test", List.of(backup("a", null), backup("b", sealedForA)), false);

    CommandFailed toAnotherStep = refusal("moved-1", movedToB);

    assertThat(toAnotherStep.code()).isEqualTo("invalid-plan");
    assertThat(toAnotherStep.details())
        .singleElement()
        .asString()
        .contains("'b'", PATH, "moved from another plan, step or path");

    RunPlan toAnotherPlan =
        new RunPlan(n.id, "moved-2", "test", List.of(backup("a", sealedForA)), false);
    assertThat(refusal("moved-2", toAnotherPlan).details())
        .singleElement()
        .asString()
        .contains("'a'", "moved from another plan, step or path");
    assertThat(service.call("GET", "/api/v1/plans/moved-2", null, null).statusCode())
        .isEqualTo(404);
  }

  private static PlanStep backup(String id, String credentials) {
    return new PlanStep(
        id,
        "velero backup " + id,
        "velero backup create " + id,
        null,
        null,
        60,
        0,
        credentials == null ? Map.of() : Map.of(PATH, credentials));
  }

  private static CommandFailed refusal(String planId, RunPlan plan) throws Exception {
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      commands.send(planId, "dev.easel.nodes.RunPlan.v1", JSON.writeValueAsString(plan));
      return stream
          .andWaitForEventOfType(CommandFailed.class)
          .matching(f -> f.requestId().equals("req-" + planId))
          .toArrive()
          .payload();
    }
  }

  /**
   * The records of a topic with this key (any key when null), read from the start, once at least
   * {@code n} are in.
   */
  private static List<ConsumerRecord<String, byte[]>> records(String topic, String key, int n) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.assignedConsumer(
            Infrastructure.get().kafkaBootstrapServers(), List.of(topic))) {
      consumer.seekToBeginning(consumer.assignment());
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (key == null || key.equals(r.key())) {
                    found.add(r);
                  }
                }
                return found.size() >= n;
              });
    }
    return found;
  }

  private record Agent(UUID id, String credential) {}

  private static Agent register() throws Exception {
    JsonNode r = service.registerMachine(token);
    return new Agent(
        UUID.fromString(r.get("nodeId").asString()), r.get("nodeCredential").asString());
  }

  private static JsonNode poll(Agent n) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(service.base + "/agent/v1/nodes/" + n.id + "/plans?waitSeconds=0"))
                .header("Authorization", "Bearer " + n.credential)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
