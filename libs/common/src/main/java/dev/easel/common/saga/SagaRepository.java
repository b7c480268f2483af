package dev.easel.common.saga;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Saga rows and their history in PostgreSQL, with optimistic locking on a version column. */
final class SagaRepository {

  private static final TypeReference<List<SagaState.Slot>> SLOTS = new TypeReference<>() {};
  private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, type, status, step, attempts, data::text, pending::text, compensations::text, version,"
          + " deadline, failure_reason, correlation_id, actor, created_at, updated_at, finished_at";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  SagaRepository(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(SagaState s) {
    jdbc.update(
        "INSERT INTO easel.saga (id, type, status, step, attempts, data, pending, compensations,"
            + " version, deadline, failure_reason, correlation_id, actor, created_at, updated_at,"
            + " finished_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, 0, ?, ?, ?, ?, ?,"
            + " ?, ?)",
        s.id,
        s.type,
        s.status.name(),
        s.step,
        s.attempts,
        s.data,
        json.writeValueAsString(s.pending),
        json.writeValueAsString(s.compensations),
        ts(s.deadline),
        s.failureReason,
        s.correlationId,
        s.actor,
        ts(s.createdAt),
        ts(s.updatedAt),
        ts(s.finishedAt));
    s.version = 0;
  }

  /** Writes the state if nobody else did since it was read. */
  boolean update(SagaState s) {
    int rows =
        jdbc.update(
            "UPDATE easel.saga SET status = ?, step = ?, attempts = ?, data = ?::jsonb,"
                + " pending = ?::jsonb, compensations = ?::jsonb, version = version + 1,"
                + " deadline = ?, failure_reason = ?, updated_at = ?, finished_at = ?"
                + " WHERE id = ? AND version = ?",
            s.status.name(),
            s.step,
            s.attempts,
            s.data,
            json.writeValueAsString(s.pending),
            json.writeValueAsString(s.compensations),
            ts(s.deadline),
            s.failureReason,
            ts(s.updatedAt),
            ts(s.finishedAt),
            s.id,
            s.version);
    if (rows == 1) {
      s.version++;
      return true;
    }
    return false;
  }

  Optional<SagaState> find(UUID id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM easel.saga WHERE id = ?", this::map, id).stream()
        .findFirst();
  }

  /**
   * Locks sagas whose deadline has passed. {@code SKIP LOCKED} hands each one to exactly one
   * instance; the lock lasts until the caller's transaction ends.
   */
  List<UUID> lockDue(Instant now, int limit) {
    return jdbc.query(
        "SELECT id FROM easel.saga WHERE status IN ('RUNNING', 'COMPENSATING') AND deadline <= ?"
            + " ORDER BY deadline LIMIT ? FOR UPDATE SKIP LOCKED",
        (rs, i) -> rs.getObject(1, UUID.class),
        ts(now),
        limit);
  }

  void appendHistory(UUID sagaId, List<SagaHistoryEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO easel.saga_history (saga_id, step, step_name, entry, detail, at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        entries.stream()
            .map(
                e ->
                    new Object[] {
                      sagaId, e.step(), e.stepName(), e.entry(), e.detail(), ts(e.at())
                    })
            .toList());
  }

  List<SagaHistoryEntry> history(UUID sagaId) {
    return jdbc.query(
        "SELECT step, step_name, entry, detail, at FROM easel.saga_history WHERE saga_id = ?"
            + " ORDER BY seq",
        (rs, i) ->
            new SagaHistoryEntry(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant()),
        sagaId);
  }

  private SagaState map(ResultSet rs, int row) throws SQLException {
    return new SagaState(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        SagaStatus.valueOf(rs.getString(3)),
        rs.getInt(4),
        rs.getInt(5),
        rs.getString(6),
        json.readValue(rs.getString(7), SLOTS),
        json.readValue(rs.getString(8), INTS),
        rs.getLong(9),
        instant(rs.getTimestamp(10)),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        instant(rs.getTimestamp(14)),
        instant(rs.getTimestamp(15)),
        instant(rs.getTimestamp(16)));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
