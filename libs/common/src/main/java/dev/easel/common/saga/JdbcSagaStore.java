package dev.easel.common.saga;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Sagas and their history in PostgreSQL ({@code easel.saga}), versioned for optimistic locking. */
public final class JdbcSagaStore implements SagaStore {

  private static final TypeReference<List<SagaSnapshot.Slot>> SLOTS = new TypeReference<>() {};
  private static final TypeReference<List<Integer>> INTS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, type, status, step, attempts, data::text, pending::text, compensations::text, version,"
          + " deadline, failure_reason, correlation_id, actor, traceparent, created_at, updated_at,"
          + " finished_at";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  public JdbcSagaStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(SagaSnapshot s) {
    jdbc.update(
        "INSERT INTO easel.saga (id, type, status, step, attempts, data, pending, compensations,"
            + " version, deadline, failure_reason, correlation_id, actor, traceparent, created_at,"
            + " updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?)",
        s.id(),
        s.type(),
        s.status().name(),
        s.step(),
        s.attempts(),
        s.data(),
        json.writeValueAsString(s.pending()),
        json.writeValueAsString(s.compensations()),
        s.version(),
        ts(s.deadline()),
        s.failureReason(),
        s.correlationId(),
        s.actor(),
        s.traceparent(),
        ts(s.createdAt()),
        ts(s.updatedAt()),
        ts(s.finishedAt()));
  }

  private static final String UPDATE =
      "UPDATE easel.saga SET status = ?, step = ?, attempts = ?, data = ?::jsonb,"
          + " pending = ?::jsonb, compensations = ?::jsonb, version = version + 1,"
          + " deadline = ?, failure_reason = ?, updated_at = ?, finished_at = ?"
          + " WHERE id = ? AND version = ?";

  @Override
  public boolean update(SagaSnapshot s, long expectedVersion) {
    return jdbc.update(UPDATE, updateArgs(s, expectedVersion)) == 1;
  }

  @Override
  public boolean[] updateAll(List<SagaSnapshot> sagas, List<Long> expectedVersions) {
    List<Object[]> args = new ArrayList<>(sagas.size());
    for (int i = 0; i < sagas.size(); i++) {
      args.add(updateArgs(sagas.get(i), expectedVersions.get(i)));
    }
    int[] counts = jdbc.batchUpdate(UPDATE, args);
    boolean[] written = new boolean[counts.length];
    for (int i = 0; i < counts.length; i++) {
      written[i] = counts[i] == 1;
    }
    return written;
  }

  private Object[] updateArgs(SagaSnapshot s, long expectedVersion) {
    return new Object[] {
      s.status().name(),
      s.step(),
      s.attempts(),
      s.data(),
      json.writeValueAsString(s.pending()),
      json.writeValueAsString(s.compensations()),
      ts(s.deadline()),
      s.failureReason(),
      ts(s.updatedAt()),
      ts(s.finishedAt()),
      s.id(),
      expectedVersion
    };
  }

  @Override
  public Optional<SagaSnapshot> find(UUID id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM easel.saga WHERE id = ?", this::map, id).stream()
        .findFirst();
  }

  @Override
  public Map<UUID, SagaSnapshot> findAll(Collection<UUID> ids) {
    Map<UUID, SagaSnapshot> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    jdbc.query(
        "SELECT " + COLUMNS + " FROM easel.saga WHERE id = ANY (?)",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
        (RowCallbackHandler) rs -> found.put(rs.getObject(1, UUID.class), map(rs, 0)));
    return found;
  }

  @Override
  public List<UUID> lockDue(Instant now, int limit) {
    return jdbc.query(
        "SELECT id FROM easel.saga WHERE status IN ('RUNNING', 'COMPENSATING') AND deadline <= ?"
            + " ORDER BY deadline LIMIT ? FOR UPDATE SKIP LOCKED",
        (rs, i) -> rs.getObject(1, UUID.class),
        ts(now),
        limit);
  }

  @Override
  public void appendHistory(Map<UUID, List<SagaHistoryEntry>> entries) {
    List<Object[]> rows = new ArrayList<>();
    entries.forEach(
        (sagaId, lines) ->
            lines.forEach(
                e ->
                    rows.add(
                        new Object[] {
                          sagaId, e.step(), e.stepName(), e.entry(), e.detail(), ts(e.at())
                        })));
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO easel.saga_history (saga_id, step, step_name, entry, detail, at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        rows);
  }

  @Override
  public List<SagaHistoryEntry> history(UUID sagaId) {
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

  private SagaSnapshot map(ResultSet rs, int row) throws SQLException {
    return new SagaSnapshot(
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
        rs.getString(14),
        instant(rs.getTimestamp(15)),
        instant(rs.getTimestamp(16)),
        instant(rs.getTimestamp(17)));
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
