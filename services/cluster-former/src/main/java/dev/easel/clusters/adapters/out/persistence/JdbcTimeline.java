package dev.easel.clusters.adapters.out.persistence;

import dev.easel.clusters.application.port.Timeline;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The clusters' timelines in PostgreSQL. */
@Repository
class JdbcTimeline implements Timeline {

  private static final TypeReference<List<UUID>> IDS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcTimeline(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void append(Entry e) {
    jdbc.update(
        "INSERT INTO cluster_timeline (cluster_id, at, operation, step, nodes, state, message,"
            + " percent) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
        e.clusterId(),
        Timestamp.from(e.at()),
        e.operation(),
        e.step(),
        json.writeValueAsString(e.nodes()),
        e.state(),
        e.message(),
        e.percent());
  }

  @Override
  public List<Entry> after(UUID clusterId, long afterSeq, int limit) {
    return jdbc.query(
        "SELECT seq, cluster_id, at, operation, step, nodes::text, state, message, percent"
            + " FROM cluster_timeline WHERE cluster_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        this::map,
        clusterId,
        afterSeq,
        limit);
  }

  @Override
  public int latestPercent(UUID clusterId) {
    List<Integer> p =
        jdbc.queryForList(
            "SELECT percent FROM cluster_timeline WHERE cluster_id = ? ORDER BY seq DESC LIMIT 1",
            Integer.class,
            clusterId);
    return p.isEmpty() ? 0 : p.get(0);
  }

  @Override
  public int lastPercent(UUID clusterId, String operation) {
    List<Integer> p =
        jdbc.queryForList(
            "SELECT percent FROM cluster_timeline WHERE cluster_id = ? AND operation = ?"
                + " ORDER BY seq DESC LIMIT 1",
            Integer.class,
            clusterId,
            operation);
    return p.isEmpty() ? 0 : p.get(0);
  }

  private Entry map(ResultSet rs, int row) throws SQLException {
    return new Entry(
        rs.getLong(1),
        rs.getObject(2, UUID.class),
        rs.getTimestamp(3).toInstant(),
        rs.getString(4),
        rs.getString(5),
        json.readValue(rs.getString(6), IDS),
        rs.getString(7),
        rs.getString(8),
        rs.getInt(9));
  }
}
