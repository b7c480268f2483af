package dev.easel.nodes.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.saga.ParticipantReplies.Outcome;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.nodes.PlanCancelled;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.nodes.application.PlanView.Feed;
import dev.easel.nodes.application.PlanView.StepResult;
import dev.easel.nodes.application.PlanView.StepView;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Plan;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Plans: queued by {@code RunPlan}, handed to the node's agent by long poll, advanced by the
 * agent's step results, ended by completion, failure or {@code CancelPlan}. Every change raises the
 * node's plan revision, which wakes the agent's poll, and is announced on {@code
 * easel.nodes.events}.
 */
@Service
public class Plans {

  static final int MAX_STEPS = 100;
  static final int MAX_RETRIES = 10;
  static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
  static final int MAX_ID_LENGTH = 128;
  static final int MAX_COMMAND_CHARS = 64 * 1024;

  /** How much of a step's output is kept; the agent sends at most this much too. */
  public static final int MAX_OUTPUT_CHARS = 16 * 1024;

  private static final TypeReference<Map<String, String>> ARGS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final NodeLocks locks;
  private final Outbox outbox;
  private final PlanSignals signals;
  private final ObjectMapper json;
  private final Clock clock;

  public Plans(
      JdbcTemplate jdbc,
      NodeLocks locks,
      Outbox outbox,
      PlanSignals signals,
      ObjectMapper json,
      Clock clock) {
    this.jdbc = jdbc;
    this.locks = locks;
    this.outbox = outbox;
    this.signals = signals;
    this.json = json;
    this.clock = clock;
  }

  // ---- commands (inside the inbox transaction) ---------------------------------------------

  /** Queues a plan; a retried RunPlan with the same plan id is answered as before. */
  public Outcome run(RunPlan cmd) {
    List<String> problems = problems(cmd);
    if (!problems.isEmpty()) {
      return ParticipantReplies.refused(
          "invalid-plan",
          problems.size() + " problem(s) in the plan; nothing was queued",
          problems);
    }
    Node node = locks.lock(List.of(cmd.nodeId())).get(cmd.nodeId());
    if (node == null) {
      return ParticipantReplies.refused(
          "node-missing", "node " + cmd.nodeId() + " does not exist", List.of());
    }
    List<Map<String, Object>> existing =
        jdbc.queryForList(
            "SELECT node_id, state, (SELECT array_agg(step_id ORDER BY position)::text"
                + " FROM plan_steps s WHERE s.plan_id = p.id) AS steps"
                + " FROM plans p WHERE id = ?",
            cmd.planId());
    List<String> stepIds = cmd.steps().stream().map(PlanStep::id).toList();
    if (!existing.isEmpty()) {
      Map<String, Object> row = existing.get(0);
      if ("CANCELLED".equals(row.get("state")) && row.get("steps") == null) {
        return ParticipantReplies.refused(
            "plan-cancelled",
            "plan " + cmd.planId() + " was cancelled before it arrived; it is not queued",
            List.of());
      }
      boolean same =
          cmd.nodeId().equals(row.get("node_id"))
              && ("{" + String.join(",", stepIds) + "}").equals(row.get("steps"));
      return same
          ? ParticipantReplies.succeeded(
              new PlanAccepted(cmd.planId(), cmd.nodeId(), cmd.steps().size()))
          : ParticipantReplies.refused(
              "plan-id-conflict",
              "plan id " + cmd.planId() + " is taken by a different plan",
              List.of());
    }
    if (node.state() == dev.easel.nodes.domain.NodeState.DECOMMISSIONED) {
      return ParticipantReplies.refused(
          "node-decommissioned", "node " + cmd.nodeId() + " is decommissioned", List.of());
    }
    Instant now = clock.instant();
    jdbc.update(
        "INSERT INTO plans (id, node_id, owner, state, queued_at) VALUES (?, ?, ?, 'QUEUED', ?)",
        cmd.planId(),
        cmd.nodeId(),
        cmd.owner(),
        Timestamp.from(now));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < cmd.steps().size(); i++) {
      PlanStep s = cmd.steps().get(i);
      rows.add(
          new Object[] {
            cmd.planId(),
            i,
            s.id(),
            s.name(),
            s.command(),
            s.action(),
            json.writeValueAsString(s.args()),
            s.timeoutOrDefault(),
            s.retriesOrDefault()
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO plan_steps (plan_id, position, step_id, name, command, action, args,"
            + " timeout_seconds, retries, state) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, 'PENDING')",
        rows);
    outbox.publishEvent(
        cmd.nodeId().toString(),
        new PlanQueued(cmd.nodeId(), cmd.planId(), cmd.owner(), stepIds, now));
    bump(cmd.nodeId(), now);
    return ParticipantReplies.succeeded(
        new PlanAccepted(cmd.planId(), cmd.nodeId(), cmd.steps().size()));
  }

  /** Cancels a plan. Cancelling one that has not arrived yet keeps it from ever running. */
  public Outcome cancel(CancelPlan cmd) {
    if (cmd.planId() == null || cmd.planId().isBlank() || cmd.nodeId() == null) {
      return ParticipantReplies.refused(
          "invalid-plan", "a cancellation needs a plan id and a node id", List.of());
    }
    String reason = cmd.reason() == null ? "cancelled" : cmd.reason();
    Instant now = clock.instant();
    locks.lock(List.of(cmd.nodeId())); // before the plan, as everywhere: see report
    Optional<Locked> locked = lock(cmd.planId());
    if (locked.isEmpty()) {
      jdbc.update(
          "INSERT INTO plans (id, node_id, state, reason, queued_at, finished_at)"
              + " VALUES (?, ?, 'CANCELLED', ?, ?, ?) ON CONFLICT DO NOTHING",
          cmd.planId(),
          cmd.nodeId(),
          reason,
          Timestamp.from(now),
          Timestamp.from(now));
      outbox.publishEvent(
          cmd.nodeId().toString(), new PlanCancelled(cmd.nodeId(), cmd.planId(), reason, now));
      return ParticipantReplies.succeeded();
    }
    Locked plan = locked.get();
    if (!plan.nodeId.equals(cmd.nodeId())) {
      return ParticipantReplies.refused(
          "plan-id-conflict",
          "plan " + cmd.planId() + " belongs to node " + plan.nodeId + ", not " + cmd.nodeId(),
          List.of());
    }
    cancelLocked(plan, reason, now);
    return ParticipantReplies.succeeded();
  }

  /** Cancels every unfinished plan of a node, as decommissioning does. */
  public void cancelAllFor(UUID nodeId, String reason) {
    Instant now = clock.instant();
    for (String planId :
        jdbc.queryForList(
            "SELECT id FROM plans WHERE node_id = ? AND state IN ('QUEUED', 'RUNNING') ORDER BY seq",
            String.class,
            nodeId)) {
      lock(planId).ifPresent(p -> cancelLocked(p, reason, now));
    }
  }

  private void cancelLocked(Locked plan, String reason, Instant now) {
    Plan after = plan.plan.cancel();
    if (after == plan.plan) {
      return; // finished already: a cancellation changes nothing
    }
    jdbc.update(
        "UPDATE plans SET state = 'CANCELLED', reason = ?, finished_at = ? WHERE id = ?",
        reason,
        Timestamp.from(now),
        plan.id);
    jdbc.update(
        "UPDATE plan_steps SET state = 'SKIPPED' WHERE plan_id = ? AND state = 'PENDING'", plan.id);
    outbox.publishEvent(
        plan.nodeId.toString(), new PlanCancelled(plan.nodeId, plan.id, reason, now));
    bump(plan.nodeId, now);
  }

  // ---- the agent's side ----------------------------------------------------------------------

  /** The node's unfinished plans in queue order, with the revision they are current for. */
  public Feed feed(UUID nodeId) {
    long revision = revision(nodeId); // first: plans read after it are at least this current
    List<String> ids =
        jdbc.queryForList(
            "SELECT id FROM plans WHERE node_id = ? AND state IN ('QUEUED', 'RUNNING') ORDER BY seq",
            String.class,
            nodeId);
    List<PlanView> plans = new ArrayList<>();
    for (String id : ids) {
      find(id, false).ifPresent(plans::add);
    }
    return new Feed(revision, plans);
  }

  /** The node's current plan revision; 0 before its first plan. */
  public long revision(UUID nodeId) {
    List<Long> r =
        jdbc.queryForList(
            "SELECT revision FROM node_plan_revisions WHERE node_id = ?", Long.class, nodeId);
    return r.isEmpty() ? 0 : r.get(0);
  }

  /** Records one attempt's result; a result reported twice changes nothing the second time. */
  @Transactional
  public PlanView report(UUID nodeId, String planId, String stepId, StepResult result) {
    if (result == null
        || result.attempt() == null
        || result.attempt() < 1
        || !("SUCCEEDED".equals(result.outcome()) || "FAILED".equals(result.outcome()))) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-result",
          "a result needs attempt (1 or more) and outcome SUCCEEDED or FAILED");
    }
    // The node's row first, as every change that appends a node-keyed event takes it: events of
    // one node then reach the outbox in the order they commit.
    locks.lock(List.of(nodeId));
    Locked plan =
        lock(planId)
            .filter(p -> p.nodeId.equals(nodeId))
            .orElseThrow(
                () ->
                    new RequestRefused(
                        Kind.NOT_FOUND, "not-found", "node " + nodeId + " has no plan " + planId));
    boolean succeeded = "SUCCEEDED".equals(result.outcome());
    Plan.Outcome outcome = plan.plan.report(stepId, result.attempt(), succeeded);
    if (outcome instanceof Plan.Refused r) {
      throw new RequestRefused(
          r.code().equals("step-not-found") ? Kind.NOT_FOUND : Kind.CONFLICT, r.code(), r.reason());
    }
    if (outcome instanceof Plan.Applied applied) {
      apply(plan, applied, result);
    }
    return find(planId, true).orElseThrow();
  }

  private void apply(Locked plan, Plan.Applied applied, StepResult result) {
    Instant now = clock.instant();
    String output = tail(result.output());
    Plan.Step step = applied.step();
    String key = plan.nodeId.toString();
    jdbc.update(
        "UPDATE plan_steps SET state = ?, attempt = ?, exit_code = ?, output = ?, reason = ?,"
            + " finished_at = ? WHERE plan_id = ? AND step_id = ?",
        step.state().name(),
        step.attempt(),
        result.exitCode(),
        output,
        result.reason(),
        step.state() == Plan.StepState.PENDING ? null : Timestamp.from(now),
        plan.id,
        step.id());
    long duration = result.durationMs() == null ? 0 : result.durationMs();
    if (step.state() == Plan.StepState.SUCCEEDED) {
      outbox.publishEvent(
          key,
          new PlanStepSucceeded(
              plan.nodeId, plan.id, step.id(), step.attempt(), result.exitCode(), duration, now));
    } else {
      int attempt = applied.willRetry() ? step.attempt() - 1 : step.attempt();
      outbox.publishEvent(
          key,
          new PlanStepFailed(
              plan.nodeId,
              plan.id,
              step.id(),
              attempt,
              result.exitCode(),
              result.reason(),
              lastLines(output),
              applied.willRetry(),
              now));
    }
    Plan.State state = applied.to().state();
    if (state.finished()) {
      String reason =
          state == Plan.State.FAILED
              ? "step '"
                  + step.id()
                  + "' failed: "
                  + (result.reason() == null ? "exit code " + result.exitCode() : result.reason())
              : null;
      jdbc.update(
          "UPDATE plans SET state = ?, reason = ?, finished_at = ? WHERE id = ?",
          state.name(),
          reason,
          Timestamp.from(now),
          plan.id);
      jdbc.update(
          "UPDATE plan_steps SET state = 'SKIPPED' WHERE plan_id = ? AND state = 'PENDING'",
          plan.id);
      outbox.publishEvent(
          key,
          state == Plan.State.COMPLETED
              ? new PlanCompleted(plan.nodeId, plan.id, now)
              : new PlanFailed(plan.nodeId, plan.id, step.id(), reason, now));
    } else if (plan.plan.state() == Plan.State.QUEUED) {
      jdbc.update("UPDATE plans SET state = 'RUNNING' WHERE id = ?", plan.id);
    }
    bump(plan.nodeId, now);
  }

  // ---- reads -----------------------------------------------------------------------------

  /** One plan with its steps; {@code withOutput} adds the steps' captured output. */
  public Optional<PlanView> find(String planId, boolean withOutput) {
    List<PlanView> plans =
        jdbc.query(
            "SELECT id, node_id, owner, state, reason, queued_at, finished_at FROM plans WHERE id = ?",
            (rs, i) ->
                new PlanView(
                    rs.getString("id"),
                    rs.getObject("node_id", UUID.class),
                    rs.getString("owner"),
                    rs.getString("state"),
                    rs.getString("reason"),
                    instant(rs, "queued_at"),
                    instant(rs, "finished_at"),
                    List.of()),
            planId);
    if (plans.isEmpty()) {
      return Optional.empty();
    }
    List<StepView> steps =
        jdbc.query(
            "SELECT step_id, name, command, action, args::text AS args, timeout_seconds, retries,"
                + " state, attempt, exit_code, reason, "
                + (withOutput ? "output" : "NULL AS output")
                + ", finished_at FROM plan_steps WHERE plan_id = ? ORDER BY position",
            (rs, i) ->
                new StepView(
                    rs.getString("step_id"),
                    rs.getString("name"),
                    rs.getString("command"),
                    rs.getString("action"),
                    json.readValue(rs.getString("args"), ARGS),
                    rs.getInt("timeout_seconds"),
                    rs.getInt("retries"),
                    rs.getString("state"),
                    rs.getInt("attempt"),
                    (Integer) rs.getObject("exit_code"),
                    rs.getString("reason"),
                    rs.getString("output"),
                    instant(rs, "finished_at")),
            planId);
    PlanView p = plans.get(0);
    return Optional.of(
        new PlanView(
            p.planId(),
            p.nodeId(),
            p.owner(),
            p.state(),
            p.reason(),
            p.queuedAt(),
            p.finishedAt(),
            steps));
  }

  // ---- helpers -----------------------------------------------------------------------------

  private record Locked(String id, UUID nodeId, Plan plan) {}

  private Optional<Locked> lock(String planId) {
    List<Map<String, Object>> head =
        jdbc.queryForList("SELECT node_id, state FROM plans WHERE id = ? FOR UPDATE", planId);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    List<Plan.Step> steps =
        jdbc.query(
            "SELECT step_id, retries, state, attempt FROM plan_steps WHERE plan_id = ?"
                + " ORDER BY position",
            (rs, i) ->
                new Plan.Step(
                    rs.getString(1),
                    rs.getInt(2),
                    Plan.StepState.valueOf(rs.getString(3)),
                    rs.getInt(4)),
            planId);
    return Optional.of(
        new Locked(
            planId,
            (UUID) head.get(0).get("node_id"),
            new Plan(Plan.State.valueOf((String) head.get(0).get("state")), steps)));
  }

  private void bump(UUID nodeId, Instant now) {
    jdbc.update(
        "INSERT INTO node_plan_revisions (node_id, revision, changed_at) VALUES (?, 1, ?)"
            + " ON CONFLICT (node_id) DO UPDATE SET revision = node_plan_revisions.revision + 1,"
            + " changed_at = EXCLUDED.changed_at",
        nodeId,
        Timestamp.from(now));
    signals.afterCommit(nodeId);
  }

  private static List<String> problems(RunPlan cmd) {
    List<String> p = new ArrayList<>();
    if (cmd.nodeId() == null) {
      p.add("nodeId: required");
    }
    if (cmd.planId() == null || cmd.planId().isBlank() || cmd.planId().length() > MAX_ID_LENGTH) {
      p.add("planId: required, at most " + MAX_ID_LENGTH + " characters");
    }
    if (cmd.steps() == null || cmd.steps().isEmpty() || cmd.steps().size() > MAX_STEPS) {
      p.add("steps: 1 to " + MAX_STEPS + " steps");
      return p;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < cmd.steps().size(); i++) {
      PlanStep s = cmd.steps().get(i);
      String at = "steps[" + i + "]";
      if (s == null) {
        p.add(at + ": null");
        continue;
      }
      if (s.id() == null || s.id().isBlank() || s.id().length() > MAX_ID_LENGTH) {
        p.add(at + ".id: required, at most " + MAX_ID_LENGTH + " characters");
      } else if (!ids.add(s.id())) {
        p.add(at + ".id: '" + s.id() + "' is used twice");
      }
      boolean hasCommand = s.command() != null && !s.command().isBlank();
      boolean hasAction = s.action() != null && !s.action().isBlank();
      if (hasCommand == hasAction) {
        p.add(at + ": give either a command or an action");
      } else if (hasAction && !PlanStep.ACTIONS.contains(s.action())) {
        p.add(at + ".action: '" + s.action() + "' is not one of " + PlanStep.ACTIONS);
      } else if (hasCommand && s.command().length() > MAX_COMMAND_CHARS) {
        p.add(at + ".command: at most " + MAX_COMMAND_CHARS + " characters");
      }
      if (s.timeoutSeconds() != null
          && (s.timeoutSeconds() < 1 || s.timeoutSeconds() > MAX_TIMEOUT_SECONDS)) {
        p.add(at + ".timeoutSeconds: 1 to " + MAX_TIMEOUT_SECONDS);
      }
      if (s.retries() != null && (s.retries() < 0 || s.retries() > MAX_RETRIES)) {
        p.add(at + ".retries: 0 to " + MAX_RETRIES);
      }
    }
    return p;
  }

  private static String tail(String output) {
    if (output == null || output.length() <= MAX_OUTPUT_CHARS) {
      return output;
    }
    return output.substring(output.length() - MAX_OUTPUT_CHARS);
  }

  /** The last few lines, for an event; the whole tail stays readable through the API. */
  private static String lastLines(String output) {
    if (output == null) {
      return null;
    }
    int from = output.length();
    for (int lines = 0; lines < 10 && from > 1; lines++) {
      from = output.lastIndexOf('\n', from - 2) + 1;
    }
    return output.substring(Math.max(from, output.length() - 2048));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
