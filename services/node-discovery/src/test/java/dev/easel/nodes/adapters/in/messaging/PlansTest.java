package dev.easel.nodes.adapters.in.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.nodes.PlanCancelled;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** RunPlan and CancelPlan through real Kafka, and the agent's side of plans over REST. */
class PlansTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final String REPLIES = "easel.planstest.replies";
  private static RunningService service;
  private static NodeCommands commands;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    commands = NodeCommands.answeredOn(REPLIES);
    service = RunningService.start("plans", Map.of("easel.nodes.plan-signal-poll", "200ms"));
    token = service.issueToken("plans");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void aPlanRunsStepByStepWithARetryAndCompletesWithOneEventPerChange() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      runPlan("p1", n.id, step("a", "true", 0), step("b", "flaky", 1), step("c", "true", 0));
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("p1"))
          .toArrive();
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p1"))
          .toArrive();

      JsonNode feed = poll(n, 0, null);
      assertThat(feed.get("plans")).hasSize(1);
      assertThat(feed.get("plans").get(0).get("steps").get(1).get("command").asString())
          .isEqualTo("flaky");

      assertThat(report(n, "p1", "a", 1, "SUCCEEDED").statusCode()).isEqualTo(200);
      assertThat(report(n, "p1", "b", 1, "FAILED").statusCode()).isEqualTo(200);
      JsonNode after = poll(n, 0, null).get("plans").get(0);
      assertThat(after.get("steps").get(1).get("attempt").asInt()).as("the retry").isEqualTo(2);
      assertThat(report(n, "p1", "b", 2, "SUCCEEDED").statusCode()).isEqualTo(200);
      HttpResponse<String> last = report(n, "p1", "c", 1, "SUCCEEDED");
      assertThat(JSON.readTree(last.body()).get("state").asString()).isEqualTo("COMPLETED");

      stream
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(c -> c.planId().equals("p1"))
          .toArrive();
      assertThat(
              stream.receivedOfType(PlanStepSucceeded.class).stream()
                  .filter(e -> e.payload().planId().equals("p1")))
          .hasSize(3);
      PlanStepFailed failed =
          stream.receivedOfType(PlanStepFailed.class).stream()
              .filter(e -> e.payload().planId().equals("p1"))
              .findFirst()
              .orElseThrow()
              .payload();
      assertThat(failed.willRetry()).isTrue();
      assertThat(failed.attempt()).isEqualTo(1);
      assertThat(poll(n, 0, null).get("plans")).as("finished plans are not handed out").isEmpty();
    }
  }

  @Test
  void aLongPollWaitsForAPlanAndWakesWhenOneIsQueued() throws Exception {
    Agent n = register();
    long revision = poll(n, 0, null).get("revision").asLong();
    long started = System.nanoTime();
    CompletableFuture<HttpResponse<String>> waiting =
        HTTP.sendAsync(
            get(n, "/plans?waitSeconds=30&since=" + revision),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(500);
    assertThat(waiting).as("nothing changed yet, so the poll still waits").isNotDone();
    runPlan("p2", n.id, step("a", "true", 0));
    JsonNode woke = JSON.readTree(waiting.get().body());
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(woke.get("revision").asLong()).isGreaterThan(revision);
    assertThat(woke.get("plans").get(0).get("planId").asString()).isEqualTo("p2");

    JsonNode idle = poll(n, 1, woke.get("revision").asLong());
    assertThat(idle.get("revision").asLong())
        .as("a timed-out poll answers with the same revision")
        .isEqualTo(woke.get("revision").asLong());
  }

  @Test
  void badResultsAreRefusedWithProblemsAndChangeNothing() throws Exception {
    Agent n = register();
    Agent other = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("p3", n.id, step("a", "true", 0), step("b", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p3"))
          .toArrive();

      assertProblem(report(n, "p3", "b", 1, "SUCCEEDED"), 409, "step-out-of-order");
      assertProblem(report(n, "p3", "a", 2, "SUCCEEDED"), 409, "attempt-out-of-order");
      assertProblem(report(n, "p3", "zz", 1, "SUCCEEDED"), 404, "step-not-found");
      assertProblem(
          send("POST", "/agent/v1/nodes/" + n.id + "/plans/p3/steps/a/result", n.credential, "{"),
          400,
          "invalid-result");
      assertProblem(
          send(
              "POST",
              "/agent/v1/nodes/" + n.id + "/plans/p3/steps/a/result",
              n.credential,
              "{\"attempt\":1,\"outcome\":\"SUCCEEDED\",\"output\":\""
                  + "x".repeat(70_000)
                  + "\"}"),
          413,
          "result-too-large");
      assertProblem(
          send(
              "POST",
              "/agent/v1/nodes/" + n.id + "/plans/p3/steps/a/result",
              other.credential,
              "{\"attempt\":1,\"outcome\":\"SUCCEEDED\"}"),
          403,
          "forbidden");
      assertProblem(
          send(
              "POST",
              "/agent/v1/nodes/" + other.id + "/plans/p3/steps/a/result",
              other.credential,
              "{\"attempt\":1,\"outcome\":\"SUCCEEDED\"}"),
          404,
          "not-found");
      assertProblem(
          send(
              "GET",
              "/agent/v1/nodes/" + n.id + "/plans?waitSeconds=600&since=0",
              n.credential,
              null),
          400,
          "invalid-wait");
      JsonNode plan = plan("p3");
      assertThat(plan.get("state").asString()).as("nothing changed").isEqualTo("QUEUED");

      assertThat(report(n, "p3", "a", 1, "SUCCEEDED").statusCode()).isEqualTo(200);
      assertThat(report(n, "p3", "a", 1, "SUCCEEDED").statusCode())
          .as("a duplicated result is answered, not applied again")
          .isEqualTo(200);
      assertProblem(report(n, "p3", "a", 1, "FAILED"), 409, "step-finished");
      stream
          .andWaitForEventOfType(PlanStepSucceeded.class)
          .matching(e -> e.planId().equals("p3"))
          .toArrive();
      stream
          .andWaitForEventOfType(PlanStepSucceeded.class)
          .matching(e -> e.planId().equals("p3"))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
    }
  }

  @Test
  void aStepThatFailsForGoodFailsThePlanWithItsOutputKept() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("p4", n.id, step("a", "false", 0), step("b", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p4"))
          .toArrive();
      send(
          "POST",
          "/agent/v1/nodes/" + n.id + "/plans/p4/steps/a/result",
          n.credential,
          "{\"attempt\":1,\"outcome\":\"FAILED\",\"exitCode\":3,\"output\":\"line1\\nboom\\n\"}");
      PlanFailed failed =
          stream
              .andWaitForEventOfType(PlanFailed.class)
              .matching(f -> f.planId().equals("p4"))
              .toArrive()
              .payload();
      assertThat(failed.stepId()).isEqualTo("a");
      assertThat(failed.reason()).contains("exit code 3");
      JsonNode plan = plan("p4");
      assertThat(plan.get("steps").get(0).get("output").asString()).contains("boom");
      assertThat(plan.get("steps").get(1).get("state").asString()).isEqualTo("SKIPPED");
    }
  }

  @Test
  void cancellingStopsAPlanAndACancelThatArrivesFirstKeepsTheLatePlanFromRunning()
      throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      runPlan("p5", n.id, step("a", "true", 0), step("b", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p5"))
          .toArrive();
      report(n, "p5", "a", 1, "SUCCEEDED");
      command("p5", "dev.easel.nodes.CancelPlan.v1", cancel("p5", n.id));
      stream
          .andWaitForEventOfType(PlanCancelled.class)
          .matching(c -> c.planId().equals("p5"))
          .toArrive();
      assertProblem(report(n, "p5", "b", 1, "SUCCEEDED"), 409, "plan-cancelled");
      assertThat(poll(n, 0, null).get("plans")).isEmpty();
      command("p5", "dev.easel.nodes.CancelPlan.v1", cancel("p5", n.id));
      stream
          .andWaitForEventOfType(CommandSucceeded.class)
          .matching(s -> s.requestId().equals("req-p5"))
          .toArriveTimes(2);
      assertThat(
              stream.receivedOfType(PlanCancelled.class).stream()
                  .filter(e -> e.payload().planId().equals("p5")))
          .as("cancelling twice announces once")
          .hasSize(1);

      command("p6", "dev.easel.nodes.CancelPlan.v1", cancel("p6", n.id));
      runPlan("p6", n.id, step("a", "true", 0));
      CommandFailed late =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-p6"))
              .toArrive()
              .payload();
      assertThat(late.code()).isEqualTo("plan-cancelled");
      assertThat(poll(n, 0, null).get("plans")).isEmpty();
    }
  }

  @Test
  void invalidPlansAndPlansForUnknownNodesAreRefusedWithReasons() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      command(
          "p7",
          "dev.easel.nodes.RunPlan.v1",
          "{\"nodeId\":\""
              + n.id
              + "\",\"planId\":\"p7\",\"steps\":[{\"id\":\"a\",\"command\":\"x\",\"action\":\"sleep\"},"
              + "{\"id\":\"a\",\"action\":\"format-disk\"},{\"id\":\"c\",\"command\":\"x\",\"retries\":99},"
              + "{\"id\":\"with space\",\"command\":\"x\"}]}");
      CommandFailed invalid =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-p7"))
              .toArrive()
              .payload();
      assertThat(invalid.code()).isEqualTo("invalid-plan");
      assertThat(String.join("\n", invalid.details()))
          .contains("either a command or an action")
          .contains("used twice")
          .contains("format-disk")
          .contains("retries")
          .as("a step id must be reportable in a URL path: #8")
          .contains("steps[3].id: 1 to 128 of A-Z a-z 0-9 . _ -");

      runPlan("p8", UUID.randomUUID(), step("a", "true", 0));
      assertThat(
              stream
                  .andWaitForEventOfType(CommandFailed.class)
                  .matching(f -> f.requestId().equals("req-p8"))
                  .toArrive()
                  .payload()
                  .code())
          .isEqualTo("node-missing");
    }
    assertThat(poll(n, 0, null).get("plans")).isEmpty();
  }

  @Test
  void plansFromASenderNotAllowedAreRefusedAndChangeNothing() throws Exception {
    Agent n = register();
    try (NodeCommands stranger = NodeCommands.from("/easel/test", REPLIES);
        EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      stranger.send(
          "stranger-run",
          "dev.easel.nodes.RunPlan.v1",
          planBody("stranger-run", n.id, step("a", "true", 0)));
      CommandFailed refused =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-stranger-run"))
              .toArrive()
              .payload();
      assertThat(refused.code()).isEqualTo("sender-not-allowed");
      assertThat(refused.reason()).contains("/easel/test");
      // The refusal is sent in the transaction that would have queued the plan.
      assertThat(send("GET", "/api/v1/plans/stranger-run", null, null).statusCode())
          .as("no plan was created")
          .isEqualTo(404);
      assertThat(poll(n, 0, null).get("plans")).isEmpty();

      runPlan("kept", n.id, step("a", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("kept"))
          .toArrive();
      stranger.send("kept", "dev.easel.nodes.CancelPlan.v1", cancel("kept", n.id));
      assertThat(
              stream
                  .andWaitForEventOfType(CommandFailed.class)
                  .matching(f -> f.requestId().equals("req-kept"))
                  .toArrive()
                  .payload()
                  .code())
          .isEqualTo("sender-not-allowed");
      assertThat(plan("kept").get("state").asString())
          .as("a cancellation from a stranger cancels nothing")
          .isEqualTo("QUEUED");
      assertThat(stream.receivedOfType(PlanCancelled.class))
          .noneMatch(e -> e.payload().planId().equals("kept"));
    }
  }

  @Test
  void aPlanSurvivesARestartWithItsFinishedStepsStillFinished() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("p9", n.id, step("a", "true", 0), step("b", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p9"))
          .toArrive();
    }
    report(n, "p9", "a", 1, "SUCCEEDED");
    service = service.restart();
    JsonNode plan = poll(n, 0, null).get("plans").get(0);
    assertThat(plan.get("planId").asString()).isEqualTo("p9");
    assertThat(plan.get("steps").get(0).get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(plan.get("steps").get(1).get("state").asString()).isEqualTo("PENDING");
    assertProblem(report(n, "p9", "a", 1, "FAILED"), 409, "step-finished");
  }

  @Test
  void decommissioningANodeCancelsItsPlans() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("p10", n.id, step("a", "true", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("p10"))
          .toArrive();
      assertThat(send("POST", "/api/v1/nodes/" + n.id + "/decommission", null, "").statusCode())
          .isBetween(200, 204);
      PlanCancelled c =
          stream
              .andWaitForEventOfType(PlanCancelled.class)
              .matching(e -> e.planId().equals("p10"))
              .toArrive()
              .payload();
      assertThat(c.reason()).isEqualTo("node-decommissioned");
    }
  }

  @Test
  void planResultsAndLabelChangesOfOneNodeReachTheOutboxInTheOrderTheyCommitted() throws Exception {
    Agent n = register();
    JdbcTemplate db = service.app.getBean(JdbcTemplate.class);
    // Records, for each outbox row, the transaction that wrote it; commit times come from
    // PostgreSQL's commit timestamps (track_commit_timestamp is on in the test server).
    db.execute("CREATE TABLE IF NOT EXISTS appended (seq bigint PRIMARY KEY, xid xid8 NOT NULL)");
    db.execute(
        "CREATE OR REPLACE FUNCTION record_append() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN INSERT INTO appended VALUES (NEW.seq, pg_current_xact_id());"
            + " RETURN NEW; END $$");
    db.execute(
        "CREATE OR REPLACE TRIGGER appended AFTER INSERT ON easel.outbox"
            + " FOR EACH ROW EXECUTE FUNCTION record_append()");
    int steps = 60;
    String[] plan = new String[steps];
    for (int i = 0; i < steps; i++) {
      plan[i] = step("s" + i, "true", 0);
    }
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      runPlan("order", n.id, plan);
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("order"))
          .toArrive();
    }
    CompletableFuture<Void> results =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < steps; i++) {
                try {
                  assertThat(report(n, "order", "s" + i, 1, "SUCCEEDED").statusCode())
                      .isEqualTo(200);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            });
    for (int i = 0; i < steps; i++) {
      HttpResponse<String> node = send("GET", "/api/v1/nodes/" + n.id, null, null);
      String etag = node.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> patched =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(service.base + "/api/v1/nodes/" + n.id + "/labels"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", TestIdentity.bearer(Role.OPERATOR))
                  .header("If-Match", etag)
                  .method(
                      "PATCH",
                      HttpRequest.BodyPublishers.ofString(
                          "{\"labels\":{\"round\":\"r" + i + "\"}}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    }
    results.get();
    List<java.sql.Timestamp> commits =
        db.queryForList(
            "SELECT pg_xact_commit_timestamp(a.xid::xid) FROM appended a"
                + " JOIN easel.outbox o ON o.seq = a.seq WHERE o.msg_key = ? ORDER BY a.seq",
            java.sql.Timestamp.class,
            n.id.toString());
    assertThat(commits)
        .as("one row per result and per label change, and the plan queued and completed")
        .hasSize(2 * steps + 2);
    for (int i = 1; i < commits.size(); i++) {
      assertThat(commits.get(i))
          .as("the node's event at position %d was written before an earlier one committed", i)
          .isAfterOrEqualTo(commits.get(i - 1));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  @Test
  void aPlanAskedToBeAnsweredWhenFinishedIsAnsweredOnceItCompletesWithItsStepsOutput()
      throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES, "easel.nodes.events")) {
      runPlanAnsweredWhenFinished("pw1", n.id, step("health", "kubectl get nodes", 0));
      stream
          .andWaitForEventOfType(PlanQueued.class)
          .matching(q -> q.planId().equals("pw1"))
          .toArrive();
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("pw1"))
          .toNotArriveWithin(Duration.ofSeconds(1));

      report(n, "pw1", "health", 1, "SUCCEEDED", "{\"items\":[]}");

      PlanFinished finished =
          stream
              .andWaitForEventOfType(PlanFinished.class)
              .matching(f -> f.planId().equals("pw1"))
              .toArrive()
              .payload();
      assertThat(finished.nodeId()).isEqualTo(n.id);
      assertThat(finished.outputs()).containsExactly(Map.entry("health", "{\"items\":[]}"));

      // Asked again after it finished, it is answered at once, the same way.
      runPlanAnsweredWhenFinished("pw1", n.id, step("health", "kubectl get nodes", 0));
      stream
          .andWaitForEventOfType(PlanFinished.class)
          .matching(f -> f.planId().equals("pw1"))
          .toArriveTimes(2);
    }
  }

  @Test
  void aPlanAskedToBeAnsweredWhenFinishedThatFailsIsRefusedWithTheStepAndItsOutput()
      throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      runPlanAnsweredWhenFinished("pw2", n.id, step("install", "kairos-agent install", 0));
      awaitQueued(n, "pw2");
      report(n, "pw2", "install", 1, "FAILED", "line 1\nerror: no disk /dev/sdb");
      CommandFailed failed =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-pw2"))
              .toArrive()
              .payload();
      assertThat(failed.code()).isEqualTo("plan-failed");
      assertThat(failed.reason()).contains("install");
      assertThat(String.join("\n", failed.details()))
          .contains("step: install")
          .contains("error: no disk /dev/sdb");
    }
  }

  @Test
  void aPlanAskedToBeAnsweredWhenFinishedThatIsCancelledIsRefusedAsCancelled() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      runPlanAnsweredWhenFinished("pw3", n.id, step("join", "sleep 600", 0));
      awaitQueued(n, "pw3");
      command("pw3-cancel", "dev.easel.nodes.CancelPlan.v1", cancel("pw3", n.id));
      CommandFailed cancelled =
          stream
              .andWaitForEventOfType(CommandFailed.class)
              .matching(f -> f.requestId().equals("req-pw3"))
              .toArrive()
              .payload();
      assertThat(cancelled.code()).isEqualTo("plan-cancelled");
      assertThat(cancelled.reason()).contains("operator");
    }
  }

  @Test
  void aStepsSecretFilesReachOnlyItsAgentSealedAtRestAndAreForgottenWhenThePlanEnds()
      throws Exception {
    Agent n = register();
    String secret = "K10-join-token-9f8e7d";
    try (EventStream stream = EventStream.watch(REGISTRY, REPLIES)) {
      command(
          "ps1",
          "dev.easel.nodes.RunPlan.v1",
          "{\"nodeId\":\""
              + n.id
              + "\",\"planId\":\"ps1\",\"owner\":\"test\",\"steps\":[{\"id\":\"install\","
              + "\"command\":\"kairos-agent install\",\"secretFiles\":{\"/run/easel/token\":\""
              + NodeCommands.sealed("ps1", "install", "/run/easel/token", secret)
              + "\"}}]}");
      stream
          .andWaitForEventOfType(PlanAccepted.class)
          .matching(a -> a.planId().equals("ps1"))
          .toArrive();

      JsonNode fed = poll(n, 0, null).get("plans").get(0).get("steps").get(0);
      assertThat(fed.get("secretFiles").get("/run/easel/token").asString()).isEqualTo(secret);

      HttpResponse<String> operators = send("GET", "/api/v1/plans/ps1", null, null);
      assertThat(operators.body()).contains("/run/easel/token").doesNotContain(secret);

      JdbcTemplate db = service.app.getBean(JdbcTemplate.class);
      byte[] sealed =
          db.queryForObject(
              "SELECT sealed FROM plan_step_secrets WHERE plan_id = 'ps1'", byte[].class);
      assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1))
          .doesNotContain(secret);
      assertThat(
              db.queryForObject(
                  "SELECT count(*) FROM plan_steps WHERE plan_id = 'ps1'"
                      + " AND (command LIKE ? OR args::text LIKE ?)",
                  Integer.class,
                  "%" + secret + "%",
                  "%" + secret + "%"))
          .isZero();

      report(n, "ps1", "install", 1, "SUCCEEDED");
      assertThat(
              db.queryForObject(
                  "SELECT count(*) FROM plan_step_secrets WHERE plan_id = 'ps1'", Integer.class))
          .as("the secret is forgotten once the plan has ended")
          .isZero();
    }
  }

  private static void runPlanAnsweredWhenFinished(String planId, UUID node, String... steps) {
    command(
        planId,
        "dev.easel.nodes.RunPlan.v1",
        "{\"nodeId\":\""
            + node
            + "\",\"planId\":\""
            + planId
            + "\",\"owner\":\"test\",\"replyWhenFinished\":true,\"steps\":["
            + String.join(",", steps)
            + "]}");
  }

  private static void awaitQueued(Agent n, String planId) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> poll(n, 0, null).get("plans").toString().contains(planId));
  }

  private static HttpResponse<String> report(
      Agent n, String plan, String step, int attempt, String outcome, String output)
      throws Exception {
    return send(
        "POST",
        "/agent/v1/nodes/" + n.id + "/plans/" + plan + "/steps/" + step + "/result",
        n.credential,
        "{\"attempt\":"
            + attempt
            + ",\"outcome\":\""
            + outcome
            + "\",\"exitCode\":"
            + ("SUCCEEDED".equals(outcome) ? 0 : 1)
            + ",\"durationMs\":5,\"output\":"
            + JSON.writeValueAsString(output)
            + "}");
  }

  private record Agent(UUID id, String credential) {}

  private static Agent register() throws Exception {
    JsonNode r = service.registerMachine(token);
    return new Agent(
        UUID.fromString(r.get("nodeId").asString()), r.get("nodeCredential").asString());
  }

  private static String step(String id, String command, int retries) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"step "
        + id
        + "\",\"command\":\""
        + command
        + "\",\"timeoutSeconds\":30,\"retries\":"
        + retries
        + "}";
  }

  private static void runPlan(String planId, UUID node, String... steps) {
    command(planId, "dev.easel.nodes.RunPlan.v1", planBody(planId, node, steps));
  }

  private static String planBody(String planId, UUID node, String... steps) {
    return "{\"nodeId\":\""
        + node
        + "\",\"planId\":\""
        + planId
        + "\",\"owner\":\"test\",\"steps\":["
        + String.join(",", steps)
        + "]}";
  }

  private static String cancel(String planId, UUID node) {
    return "{\"nodeId\":\"" + node + "\",\"planId\":\"" + planId + "\",\"reason\":\"operator\"}";
  }

  private static void command(String planId, String type, String body) {
    commands.send(planId, type, body);
  }

  private static JsonNode poll(Agent n, int waitSeconds, Long since) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            get(n, "/plans?waitSeconds=" + waitSeconds + (since == null ? "" : "&since=" + since)),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpRequest get(Agent n, String path) {
    return HttpRequest.newBuilder(URI.create(service.base + "/agent/v1/nodes/" + n.id + path))
        .header("Authorization", "Bearer " + n.credential)
        .GET()
        .build();
  }

  private static HttpResponse<String> report(
      Agent n, String plan, String step, int attempt, String outcome) throws Exception {
    return send(
        "POST",
        "/agent/v1/nodes/" + n.id + "/plans/" + plan + "/steps/" + step + "/result",
        n.credential,
        "{\"attempt\":"
            + attempt
            + ",\"outcome\":\""
            + outcome
            + "\",\"exitCode\":"
            + ("SUCCEEDED".equals(outcome) ? 0 : 1)
            + ",\"durationMs\":5}");
  }

  private static JsonNode plan(String id) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/plans/" + id, null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(JSON.readTree(r.body()).get("type").asString()).endsWith("/" + type);
  }

  private static HttpResponse<String> send(String method, String path, String bearer, String body)
      throws Exception {
    return service.call(method, path, bearer, body);
  }
}
