package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.ScheduleStore;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.schedule.ScanSchedule;
import dev.easel.compliance.domain.schedule.SchedulePreset;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Scan schedules in PostgreSQL; the scan's options as JSON. */
@Repository
class JdbcScheduleStore implements ScheduleStore {

  private static final String COLUMNS = "cluster_id, kind, preset, cron, zone, options::text";
  private static final TypeReference<Map<String, String>> OPTIONS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcScheduleStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void save(ScanSchedule s) {
    jdbc.update(
        "INSERT INTO scan_schedules (cluster_id, kind, preset, cron, zone, options, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, now()) ON CONFLICT (cluster_id, kind) DO UPDATE"
            + " SET preset = excluded.preset, cron = excluded.cron, zone = excluded.zone,"
            + " options = excluded.options, updated_at = excluded.updated_at",
        s.clusterId(),
        s.kind().wireName(),
        s.preset().wireName(),
        s.cron(),
        s.zone().getId(),
        json.writeValueAsString(s.options()));
  }

  @Override
  public Optional<ScanSchedule> find(UUID clusterId, ScanKind kind) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM scan_schedules WHERE cluster_id = ? AND kind = ?",
            this::map,
            clusterId,
            kind.wireName())
        .stream()
        .findFirst();
  }

  @Override
  public List<ScanSchedule> ofCluster(UUID clusterId) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM scan_schedules WHERE cluster_id = ?", this::map, clusterId)
        .stream()
        .sorted(Comparator.comparing(ScanSchedule::kind))
        .toList();
  }

  @Override
  public boolean delete(UUID clusterId, ScanKind kind) {
    return jdbc.update(
            "DELETE FROM scan_schedules WHERE cluster_id = ? AND kind = ?",
            clusterId,
            kind.wireName())
        > 0;
  }

  private ScanSchedule map(ResultSet rs, int row) throws SQLException {
    return new ScanSchedule(
        rs.getObject(1, UUID.class),
        ScanKind.parse(rs.getString(2)).orElseThrow(),
        SchedulePreset.parse(rs.getString(3)).orElseThrow(),
        rs.getString(4),
        ZoneId.of(rs.getString(5)),
        json.readValue(rs.getString(6), OPTIONS));
  }
}
