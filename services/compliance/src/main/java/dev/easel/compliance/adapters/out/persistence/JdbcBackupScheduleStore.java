package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.BackupScheduleStore;
import dev.easel.compliance.domain.backup.BackupSchedule;
import dev.easel.compliance.domain.backup.BackupSpec;
import dev.easel.compliance.domain.backup.ClusterResources;
import dev.easel.compliance.domain.schedule.Cadence;
import dev.easel.compliance.domain.schedule.SchedulePreset;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Backup schedules in PostgreSQL; the backup's spec as JSON. */
@Repository
class JdbcBackupScheduleStore implements BackupScheduleStore {

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcBackupScheduleStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void save(BackupSchedule s) {
    BackupSpec b = s.spec();
    jdbc.update(
        "INSERT INTO backup_schedules (cluster_id, preset, cron, zone, location_id, name_prefix,"
            + " spec, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, now())"
            + " ON CONFLICT (cluster_id) DO UPDATE SET preset = excluded.preset,"
            + " cron = excluded.cron, zone = excluded.zone, location_id = excluded.location_id,"
            + " name_prefix = excluded.name_prefix, spec = excluded.spec,"
            + " updated_at = excluded.updated_at",
        s.clusterId(),
        s.cadence().preset().wireName(),
        s.cadence().cron(),
        s.cadence().zone().getId(),
        s.locationId(),
        s.namePrefix(),
        json.writeValueAsString(
            new JdbcBackupStore.SpecJson(
                b.includeNamespaces(),
                b.excludeNamespaces(),
                b.includeClusterResources().wireName(),
                b.includeDisks(),
                b.ttlHours())));
  }

  @Override
  public Optional<BackupSchedule> find(UUID clusterId) {
    return jdbc
        .query(
            "SELECT cluster_id, preset, cron, zone, location_id, name_prefix, spec::text"
                + " FROM backup_schedules WHERE cluster_id = ?",
            (rs, i) -> {
              JdbcBackupStore.SpecJson s =
                  json.readValue(rs.getString(7), JdbcBackupStore.SpecJson.class);
              return new BackupSchedule(
                  rs.getObject(1, UUID.class),
                  new Cadence(
                      SchedulePreset.parse(rs.getString(2)).orElseThrow(),
                      rs.getString(3),
                      ZoneId.of(rs.getString(4))),
                  rs.getObject(5, UUID.class),
                  rs.getString(6),
                  new BackupSpec(
                      s.includeNamespaces(),
                      s.excludeNamespaces(),
                      ClusterResources.parse(s.includeClusterResources())
                          .orElse(ClusterResources.AUTO),
                      s.includeDisks(),
                      s.ttlHours()));
            },
            clusterId)
        .stream()
        .findFirst();
  }

  @Override
  public boolean delete(UUID clusterId) {
    return jdbc.update("DELETE FROM backup_schedules WHERE cluster_id = ?", clusterId) > 0;
  }
}
