package dev.easel.nodes.adapters.out.persistence;

import dev.easel.common.saga.ParticipantReplies;
import dev.easel.nodes.application.PlanView;
import dev.easel.nodes.application.PlanView.ArtifactView;
import dev.easel.nodes.application.PlanView.StepView;
import dev.easel.nodes.application.port.PlanStore;
import dev.easel.nodes.domain.Plan;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Plans, their steps, and each node's plan revision in PostgreSQL. */
@Repository
class JdbcPlanStore implements PlanStore {

  private static final TypeReference<Map<String, String>> ARGS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcPlanStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public Optional<Head> head(String planId) {
    return jdbc
        .query(
            "SELECT node_id, state, (SELECT array_agg(step_id ORDER BY position)"
                + " FROM plan_steps s WHERE s.plan_id = p.id) FROM plans p WHERE id = ?",
            (rs, i) -> {
              java.sql.Array steps = rs.getArray(3);
              List<String> ids =
                  steps == null ? List.of() : Arrays.asList((String[]) steps.getArray());
              return new Head(
                  rs.getObject(1, UUID.class), Plan.State.valueOf(rs.getString(2)), ids);
            },
            planId)
        .stream()
        .findFirst();
  }

  @Override
  public void insert(
      UUID nodeId, String planId, String owner, List<Plan.StepSpec> steps, Instant at) {
    jdbc.update(
        "INSERT INTO plans (id, node_id, owner, state, queued_at) VALUES (?, ?, ?, 'QUEUED', ?)",
        planId,
        nodeId,
        owner,
        ts(at));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Plan.StepSpec s = steps.get(i);
      rows.add(
          new Object[] {
            planId,
            i,
            s.id(),
            s.name(),
            s.command(),
            s.action(),
            json.writeValueAsString(s.args() == null ? Map.of() : s.args()),
            s.timeoutSeconds(),
            s.retries(),
            s.artifacts().toArray(String[]::new)
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO plan_steps (plan_id, position, step_id, name, command, action, args,"
            + " timeout_seconds, retries, artifacts, state) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb,"
            + " ?, ?, ?, 'PENDING')",
        rows);
  }

  @Override
  public void insertSecrets(String planId, List<SealedFile> files) {
    if (files.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO plan_step_secrets (plan_id, step_id, path, sealed) VALUES (?, ?, ?, ?)",
        files.stream().map(f -> new Object[] {planId, f.stepId(), f.path(), f.sealed()}).toList());
  }

  @Override
  public List<SealedFile> secrets(String planId) {
    return jdbc.query(
        "SELECT s.step_id, s.path, s.sealed FROM plan_step_secrets s JOIN plan_steps p"
            + " ON p.plan_id = s.plan_id AND p.step_id = s.step_id WHERE s.plan_id = ?"
            + " ORDER BY p.position, s.path",
        (rs, i) -> new SealedFile(rs.getString(1), rs.getString(2), rs.getBytes(3)),
        planId);
  }

  @Override
  public void keepReplyAddress(String planId, ParticipantReplies.ReplyAddress a) {
    jdbc.update(
        "UPDATE plans SET reply_to = ?, reply_saga_id = ?, reply_request_id = ?,"
            + " reply_command_id = ? WHERE id = ?",
        a.replyTo(),
        a.sagaId(),
        a.requestId(),
        a.commandId(),
        planId);
  }

  @Override
  public Optional<ParticipantReplies.ReplyAddress> replyAddress(String planId) {
    return jdbc
        .query(
            "SELECT reply_to, reply_saga_id, reply_request_id, reply_command_id FROM plans"
                + " WHERE id = ? AND reply_to IS NOT NULL",
            (rs, i) ->
                new ParticipantReplies.ReplyAddress(
                    rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
            planId)
        .stream()
        .findFirst();
  }

  @Override
  public void insertCancelled(UUID nodeId, String planId, String reason, Instant at) {
    jdbc.update(
        "INSERT INTO plans (id, node_id, state, reason, queued_at, finished_at)"
            + " VALUES (?, ?, 'CANCELLED', ?, ?, ?) ON CONFLICT DO NOTHING",
        planId,
        nodeId,
        reason,
        ts(at),
        ts(at));
  }

  @Override
  public Optional<Locked> lock(String planId) {
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

  @Override
  public void saveStep(
      String planId,
      Plan.Step step,
      Integer exitCode,
      String output,
      String reason,
      Instant finishedAt) {
    jdbc.update(
        "UPDATE plan_steps SET state = ?, attempt = ?, exit_code = ?, output = ?, reason = ?,"
            + " finished_at = ? WHERE plan_id = ? AND step_id = ?",
        step.state().name(),
        step.attempt(),
        exitCode,
        output,
        reason,
        ts(finishedAt),
        planId,
        step.id());
  }

  @Override
  public void savePlan(String planId, Plan.State state, String reason, Instant finishedAt) {
    if (!state.finished()) {
      jdbc.update(
          "UPDATE plans SET state = ?, reason = coalesce(?, reason), finished_at = ? WHERE id = ?",
          state.name(),
          reason,
          ts(finishedAt),
          planId);
      return;
    }
    // One round trip: the plan, its steps that will never run, and its secrets, now needed by no
    // agent.
    jdbc.update(
        "WITH skipped AS (UPDATE plan_steps SET state = 'SKIPPED' WHERE plan_id = ?"
            + " AND state = 'PENDING'), forgotten AS (DELETE FROM plan_step_secrets"
            + " WHERE plan_id = ?) UPDATE plans SET state = ?, reason = coalesce(?, reason),"
            + " finished_at = ? WHERE id = ?",
        planId,
        planId,
        state.name(),
        reason,
        ts(finishedAt),
        planId);
  }

  @Override
  public void bumpRevision(UUID nodeId, Instant at) {
    jdbc.update(
        "INSERT INTO node_plan_revisions (node_id, revision, changed_at) VALUES (?, 1, ?)"
            + " ON CONFLICT (node_id) DO UPDATE SET revision = node_plan_revisions.revision + 1,"
            + " changed_at = EXCLUDED.changed_at",
        nodeId,
        ts(at));
  }

  @Override
  public long revision(UUID nodeId) {
    List<Long> r =
        jdbc.queryForList(
            "SELECT revision FROM node_plan_revisions WHERE node_id = ?", Long.class, nodeId);
    return r.isEmpty() ? 0 : r.get(0);
  }

  @Override
  public Map<UUID, Long> revisionsChangedSince(Instant since) {
    Map<UUID, Long> out = new HashMap<>();
    jdbc.query(
        "SELECT node_id, revision FROM node_plan_revisions WHERE changed_at >= ?",
        (RowCallbackHandler) rs -> out.put(rs.getObject(1, UUID.class), rs.getLong(2)),
        ts(since));
    return out;
  }

  @Override
  public List<String> unfinished(UUID nodeId) {
    return jdbc.queryForList(
        "SELECT id FROM plans WHERE node_id = ? AND state IN ('QUEUED', 'RUNNING') ORDER BY seq",
        String.class,
        nodeId);
  }

  @Override
  public Optional<PlanView> view(String planId, boolean withOutput) {
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
                + ", finished_at, (SELECT array_agg(s.path ORDER BY s.path) FROM plan_step_secrets s"
                + " WHERE s.plan_id = p.plan_id AND s.step_id = p.step_id) AS secret_paths,"
                + " artifacts FROM plan_steps p WHERE plan_id = ? ORDER BY position",
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
                    instant(rs, "finished_at"),
                    paths(rs.getArray("secret_paths")),
                    null,
                    declared(paths(rs.getArray("artifacts")))),
            planId);
    steps = withStoredArtifacts(planId, steps);
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

  @Override
  public List<String> artifactPaths(String planId, String stepId) {
    List<List<String>> found =
        jdbc.query(
            "SELECT artifacts FROM plan_steps WHERE plan_id = ? AND step_id = ?",
            (rs, i) -> paths(rs.getArray(1)),
            planId,
            stepId);
    return found.isEmpty() ? List.of() : found.get(0);
  }

  @Override
  public Optional<StoredArtifact> artifact(String planId, String stepId, String name) {
    return jdbc
        .query(
            "SELECT step_id, name, digest, size, media_type, location, stored_at"
                + " FROM plan_step_artifacts WHERE plan_id = ? AND step_id = ? AND name = ?",
            (rs, i) -> storedArtifact(rs),
            planId,
            stepId,
            name)
        .stream()
        .findFirst();
  }

  @Override
  public boolean insertArtifact(String planId, StoredArtifact a) {
    return jdbc.update(
            "INSERT INTO plan_step_artifacts (plan_id, step_id, name, digest, size, media_type,"
                + " location, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            planId,
            a.stepId(),
            a.name(),
            a.digest(),
            a.size(),
            a.mediaType(),
            a.location(),
            ts(a.storedAt()))
        == 1;
  }

  /** Declared artifacts, none stored yet. */
  private static List<ArtifactView> declared(List<String> paths) {
    List<ArtifactView> out = new ArrayList<>(paths.size());
    for (String path : paths) {
      out.add(new ArtifactView(Plan.artifactName(path), path, null, null, null, null, null));
    }
    return out;
  }

  /** The steps with what was stored for their declared artifacts; one query for the plan. */
  private List<StepView> withStoredArtifacts(String planId, List<StepView> steps) {
    if (steps.stream().allMatch(st -> st.artifacts().isEmpty())) {
      return steps; // no read for the plans that declare none, which is most of them
    }
    Map<String, StoredArtifact> stored = new HashMap<>();
    jdbc.query(
        "SELECT step_id, name, digest, size, media_type, location, stored_at"
            + " FROM plan_step_artifacts WHERE plan_id = ?",
        (RowCallbackHandler)
            rs -> {
              StoredArtifact a = storedArtifact(rs);
              stored.put(a.stepId() + "/" + a.name(), a);
            },
        planId);
    List<StepView> out = new ArrayList<>(steps.size());
    for (StepView st : steps) {
      List<ArtifactView> artifacts = new ArrayList<>(st.artifacts().size());
      for (ArtifactView declared : st.artifacts()) {
        StoredArtifact a = stored.get(st.id() + "/" + declared.name());
        artifacts.add(
            a == null
                ? declared
                : new ArtifactView(
                    declared.name(),
                    declared.path(),
                    a.digest(),
                    a.size(),
                    a.mediaType(),
                    a.location(),
                    a.storedAt()));
      }
      out.add(
          new StepView(
              st.id(),
              st.name(),
              st.command(),
              st.action(),
              st.args(),
              st.timeoutSeconds(),
              st.retries(),
              st.state(),
              st.attempt(),
              st.exitCode(),
              st.reason(),
              st.output(),
              st.finishedAt(),
              st.secretFilePaths(),
              st.secretFiles(),
              artifacts));
    }
    return out;
  }

  private static StoredArtifact storedArtifact(ResultSet rs) throws SQLException {
    return new StoredArtifact(
        rs.getString("step_id"),
        rs.getString("name"),
        rs.getString("digest"),
        rs.getLong("size"),
        rs.getString("media_type"),
        rs.getString("location"),
        instant(rs, "stored_at"));
  }

  private static List<String> paths(java.sql.Array array) throws SQLException {
    return array == null ? List.of() : List.of((String[]) array.getArray());
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
