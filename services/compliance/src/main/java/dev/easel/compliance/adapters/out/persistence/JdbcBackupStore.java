package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.BackupStore;
import dev.easel.compliance.domain.backup.Backup;
import dev.easel.compliance.domain.backup.BackupLocation;
import dev.easel.compliance.domain.backup.BackupSpec;
import dev.easel.compliance.domain.backup.BackupState;
import dev.easel.compliance.domain.backup.ClusterResources;
import dev.easel.compliance.domain.backup.Provider;
import dev.easel.compliance.domain.backup.Restore;
import dev.easel.compliance.domain.backup.RestoreSpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Backup locations, backups, restores and their plans in PostgreSQL; specs as JSON. */
@Repository
class JdbcBackupStore implements BackupStore {

  private static final String LOCATION =
      "id, name, provider, bucket, prefix, region, endpoint, path_style, ca_certificate,"
          + " health_state, health_failure, health_message, health_checked_at, last_synced_at,"
          + " created_at, updated_at, version";
  private static final String BACKUP =
      "id, cluster_id, location_id, name, spec::text, state, phase, items_backed_up, total_items,"
          + " errors, warnings, failure_reason, trigger, actor, created_at, started_at,"
          + " completed_at, expires_at, etag, status_reads";
  private static final String RESTORE =
      "id, cluster_id, name, backup_id, backup_name, location_id, spec::text, state, phase,"
          + " items_restored, total_items, errors, warnings, failure_reason, actor, created_at,"
          + " started_at, completed_at, status_reads";

  /** A backup's spec as stored. */
  record SpecJson(
      List<String> includeNamespaces,
      List<String> excludeNamespaces,
      String includeClusterResources,
      boolean includeDisks,
      int ttlHours) {}

  /** A restore's spec as stored. */
  record RestoreJson(
      List<String> includeNamespaces,
      Map<String, String> namespaceMappings,
      String includeClusterResources,
      boolean restorePVs) {}

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcBackupStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insertLocation(BackupLocation l, byte[] sealed) {
    BackupLocation.Health h = l.health();
    jdbc.update(
        "INSERT INTO backup_locations (id, name, provider, bucket, prefix, region, endpoint,"
            + " path_style, ca_certificate, credentials, health_state, health_failure,"
            + " health_message, health_checked_at, last_synced_at, created_at, updated_at, version)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        l.id(),
        l.name(),
        l.provider().wireName(),
        l.bucket(),
        l.prefix(),
        l.region(),
        l.endpoint(),
        l.pathStyle(),
        l.caCertificate(),
        sealed,
        h == null ? null : h.state(),
        h == null ? null : h.failure(),
        h == null ? null : h.message(),
        h == null ? null : ts(h.checkedAt()),
        ts(l.lastSyncedAt()),
        ts(l.createdAt()),
        ts(l.updatedAt()),
        l.version());
  }

  @Override
  public void updateLocation(BackupLocation l, byte[] sealed) {
    BackupLocation.Health h = l.health();
    jdbc.update(
        "UPDATE backup_locations SET bucket = ?, prefix = ?, region = ?, endpoint = ?,"
            + " path_style = ?, ca_certificate = ?, credentials = coalesce(?, credentials),"
            + " health_state = ?, health_failure = ?, health_message = ?, health_checked_at = ?,"
            + " updated_at = ?, version = ? WHERE id = ?",
        l.bucket(),
        l.prefix(),
        l.region(),
        l.endpoint(),
        l.pathStyle(),
        l.caCertificate(),
        sealed,
        h == null ? null : h.state(),
        h == null ? null : h.failure(),
        h == null ? null : h.message(),
        h == null ? null : ts(h.checkedAt()),
        ts(l.updatedAt()),
        l.version(),
        l.id());
  }

  @Override
  public void saveHealth(UUID id, BackupLocation.Health h) {
    jdbc.update(
        "UPDATE backup_locations SET health_state = ?, health_failure = ?, health_message = ?,"
            + " health_checked_at = ? WHERE id = ?",
        h.state(),
        h.failure(),
        h.message(),
        ts(h.checkedAt()),
        id);
  }

  @Override
  public void synced(UUID id, Instant at) {
    jdbc.update("UPDATE backup_locations SET last_synced_at = ? WHERE id = ?", ts(at), id);
  }

  @Override
  public Optional<BackupLocation> location(UUID id) {
    return one("SELECT " + LOCATION + " FROM backup_locations WHERE id = ?", this::mapLocation, id);
  }

  @Override
  public Optional<BackupLocation> locationNamed(String name) {
    return one(
        "SELECT " + LOCATION + " FROM backup_locations WHERE name = ?", this::mapLocation, name);
  }

  @Override
  public Optional<BackupLocation> lockLocation(UUID id) {
    return one(
        "SELECT " + LOCATION + " FROM backup_locations WHERE id = ? FOR UPDATE",
        this::mapLocation,
        id);
  }

  @Override
  public List<BackupLocation> locations() {
    return jdbc.query(
        "SELECT " + LOCATION + " FROM backup_locations ORDER BY name", this::mapLocation);
  }

  @Override
  public byte[] sealedCredentials(UUID id) {
    return jdbc.queryForObject(
        "SELECT credentials FROM backup_locations WHERE id = ?", byte[].class, id);
  }

  @Override
  public boolean deleteLocation(UUID id) {
    return jdbc.update("DELETE FROM backup_locations WHERE id = ?", id) > 0;
  }

  @Override
  public void insertBackup(Backup b) {
    insertBackups(List.of(b));
  }

  @Override
  public void insertBackups(Collection<Backup> backups) {
    List<Object[]> rows = new ArrayList<>(backups.size());
    for (Backup b : backups) {
      rows.add(
          new Object[] {
            b.id(),
            b.clusterId(),
            b.locationId(),
            b.name(),
            spec(b.spec()),
            b.state().name(),
            b.phase(),
            b.itemsBackedUp(),
            b.totalItems(),
            b.errors(),
            b.warnings(),
            b.failureReason(),
            b.trigger(),
            b.actor(),
            ts(b.createdAt()),
            ts(b.startedAt()),
            ts(b.completedAt()),
            ts(b.expiresAt()),
            b.etag(),
            b.statusReads()
          });
    }
    jdbc.batchUpdate(
        "INSERT INTO backups (id, cluster_id, location_id, name, spec, state, phase,"
            + " items_backed_up, total_items, errors, warnings, failure_reason, trigger, actor,"
            + " created_at, started_at, completed_at, expires_at, etag, status_reads)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows);
  }

  @Override
  public void updateBackup(Backup b) {
    jdbc.update(
        "UPDATE backups SET cluster_id = ?, state = ?, phase = ?, items_backed_up = ?,"
            + " total_items = ?, errors = ?, warnings = ?, failure_reason = ?, started_at = ?,"
            + " completed_at = ?, expires_at = ?, etag = ?, status_reads = ? WHERE id = ?",
        b.clusterId(),
        b.state().name(),
        b.phase(),
        b.itemsBackedUp(),
        b.totalItems(),
        b.errors(),
        b.warnings(),
        b.failureReason(),
        ts(b.startedAt()),
        ts(b.completedAt()),
        ts(b.expiresAt()),
        b.etag(),
        b.statusReads(),
        b.id());
  }

  @Override
  public Optional<Backup> backup(UUID id) {
    return one("SELECT " + BACKUP + " FROM backups WHERE id = ?", this::mapBackup, id);
  }

  @Override
  public Optional<Backup> lockBackup(UUID id) {
    return one("SELECT " + BACKUP + " FROM backups WHERE id = ? FOR UPDATE", this::mapBackup, id);
  }

  @Override
  public Optional<Backup> backupNamed(UUID locationId, String name) {
    return one(
        "SELECT " + BACKUP + " FROM backups WHERE location_id = ? AND name = ?",
        this::mapBackup,
        locationId,
        name);
  }

  @Override
  public List<Backup> backupsOfCluster(UUID clusterId, int limit) {
    return jdbc.query(
        "SELECT " + BACKUP + " FROM backups WHERE cluster_id = ? ORDER BY created_at DESC LIMIT ?",
        this::mapBackup,
        clusterId,
        limit);
  }

  @Override
  public List<Backup> backupsOfLocation(UUID locationId, int limit) {
    return jdbc.query(
        "SELECT "
            + BACKUP
            + " FROM backups WHERE location_id = ? ORDER BY created_at DESC, name LIMIT ?",
        this::mapBackup,
        locationId,
        limit);
  }

  @Override
  public List<Known> known(UUID locationId) {
    return jdbc.query(
        "SELECT id, name, etag, state, trigger, completed_at FROM backups WHERE location_id = ?",
        (rs, i) ->
            new Known(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                instant(rs, 6)),
        locationId);
  }

  @Override
  public Optional<String> runningThrough(UUID locationId) {
    return jdbc
        .queryForList(
            "(SELECT 'backup ' || name FROM backups WHERE location_id = ?"
                + " AND state IN ('New', 'InProgress') LIMIT 1)"
                + " UNION ALL (SELECT 'restore ' || name FROM restores WHERE location_id = ?"
                + " AND state IN ('New', 'InProgress') LIMIT 1)",
            String.class,
            locationId,
            locationId)
        .stream()
        .findFirst();
  }

  @Override
  public List<Backup> backupsNamed(String name) {
    return jdbc.query("SELECT " + BACKUP + " FROM backups WHERE name = ?", this::mapBackup, name);
  }

  @Override
  public Map<UUID, String> namesOf(Collection<UUID> ids) {
    Map<UUID, String> out = new java.util.HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbc.query(
        "SELECT id, name FROM backups WHERE id = ANY (?)",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
        (org.springframework.jdbc.core.RowCallbackHandler)
            rs -> out.put(rs.getObject(1, UUID.class), rs.getString(2)));
    return out;
  }

  @Override
  public List<Backup> runningBackups(int limit) {
    return jdbc.query(
        "SELECT "
            + BACKUP
            + " FROM backups WHERE state IN ('New', 'InProgress') ORDER BY created_at LIMIT ?",
        this::mapBackup,
        limit);
  }

  @Override
  public List<Backup> expired(Instant now, int limit) {
    return jdbc.query(
        "SELECT "
            + BACKUP
            + " FROM backups WHERE state IN ('Completed', 'PartiallyFailed', 'Failed')"
            + " AND expires_at < ? ORDER BY expires_at LIMIT ?",
        this::mapBackup,
        ts(now),
        limit);
  }

  @Override
  public void deleteBackup(UUID id) {
    jdbc.update("DELETE FROM backups WHERE id = ?", id);
  }

  @Override
  public void deleteBackups(Collection<UUID> ids) {
    List<Object[]> rows = new ArrayList<>();
    for (UUID id : ids) {
      rows.add(new Object[] {id});
    }
    jdbc.batchUpdate("DELETE FROM backups WHERE id = ?", rows);
  }

  @Override
  public void insertRestore(Restore r) {
    jdbc.update(
        "INSERT INTO restores (id, cluster_id, name, backup_id, backup_name, location_id, spec,"
            + " state, phase, items_restored, total_items, errors, warnings, failure_reason, actor,"
            + " created_at, started_at, completed_at, status_reads)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(),
        r.clusterId(),
        r.name(),
        r.backupId(),
        r.backupName(),
        r.locationId(),
        spec(r.spec()),
        r.state().name(),
        r.phase(),
        r.itemsRestored(),
        r.totalItems(),
        r.errors(),
        r.warnings(),
        r.failureReason(),
        r.actor(),
        ts(r.createdAt()),
        ts(r.startedAt()),
        ts(r.completedAt()),
        r.statusReads());
  }

  @Override
  public void updateRestore(Restore r) {
    jdbc.update(
        "UPDATE restores SET state = ?, phase = ?, items_restored = ?, total_items = ?,"
            + " errors = ?, warnings = ?, failure_reason = ?, started_at = ?, completed_at = ?,"
            + " status_reads = ? WHERE id = ?",
        r.state().name(),
        r.phase(),
        r.itemsRestored(),
        r.totalItems(),
        r.errors(),
        r.warnings(),
        r.failureReason(),
        ts(r.startedAt()),
        ts(r.completedAt()),
        r.statusReads(),
        r.id());
  }

  @Override
  public Optional<Restore> restore(UUID id) {
    return one("SELECT " + RESTORE + " FROM restores WHERE id = ?", this::mapRestore, id);
  }

  @Override
  public Optional<Restore> lockRestore(UUID id) {
    return one(
        "SELECT " + RESTORE + " FROM restores WHERE id = ? FOR UPDATE", this::mapRestore, id);
  }

  @Override
  public List<Restore> restoresOfCluster(UUID clusterId, int limit) {
    return jdbc.query(
        "SELECT "
            + RESTORE
            + " FROM restores WHERE cluster_id = ? ORDER BY created_at DESC LIMIT ?",
        this::mapRestore,
        clusterId,
        limit);
  }

  @Override
  public List<Restore> runningRestores(int limit) {
    return jdbc.query(
        "SELECT "
            + RESTORE
            + " FROM restores WHERE state IN ('New', 'InProgress') ORDER BY created_at LIMIT ?",
        this::mapRestore,
        limit);
  }

  @Override
  public void addPlan(String planId, String ownerKind, UUID ownerId, UUID nodeId, Instant at) {
    jdbc.update(
        "INSERT INTO backup_plans (plan_id, owner_kind, owner_id, node_id, state, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        planId,
        ownerKind,
        ownerId,
        nodeId,
        PlanRow.QUEUED,
        ts(at));
  }

  @Override
  public Optional<PlanRow> queuedPlan(String planId) {
    return one(
        "SELECT plan_id, owner_kind, owner_id, node_id, state FROM backup_plans"
            + " WHERE plan_id = ? AND state = 'QUEUED'",
        JdbcBackupStore::plan,
        planId);
  }

  @Override
  public void planFinished(String planId, String state) {
    jdbc.update("UPDATE backup_plans SET state = ? WHERE plan_id = ?", state, planId);
  }

  @Override
  public boolean hasQueuedPlan(UUID ownerId) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM backup_plans WHERE owner_id = ? AND state = 'QUEUED')",
            Boolean.class,
            ownerId));
  }

  @Override
  public List<PlanRow> queuedPlans(UUID ownerId) {
    return jdbc.query(
        "SELECT plan_id, owner_kind, owner_id, node_id, state FROM backup_plans"
            + " WHERE owner_id = ? AND state = 'QUEUED'",
        JdbcBackupStore::plan,
        ownerId);
  }

  private static PlanRow plan(ResultSet rs, int i) throws SQLException {
    return new PlanRow(
        rs.getString(1),
        rs.getString(2),
        rs.getObject(3, UUID.class),
        rs.getObject(4, UUID.class),
        rs.getString(5));
  }

  private BackupLocation mapLocation(ResultSet rs, int i) throws SQLException {
    String state = rs.getString(10);
    BackupLocation.Health h =
        state == null
            ? null
            : new BackupLocation.Health(state, rs.getString(11), rs.getString(12), instant(rs, 13));
    return new BackupLocation(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        Provider.parse(rs.getString(3)).orElseThrow(),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getBoolean(8),
        rs.getString(9),
        h,
        instant(rs, 14),
        instant(rs, 15),
        instant(rs, 16),
        rs.getLong(17));
  }

  private Backup mapBackup(ResultSet rs, int i) throws SQLException {
    SpecJson s = json.readValue(rs.getString(5), SpecJson.class);
    return new Backup(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        rs.getObject(3, UUID.class),
        rs.getString(4),
        new BackupSpec(
            s.includeNamespaces(),
            s.excludeNamespaces(),
            ClusterResources.parse(s.includeClusterResources()).orElse(ClusterResources.AUTO),
            s.includeDisks(),
            s.ttlHours()),
        BackupState.valueOf(rs.getString(6)),
        rs.getString(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        instant(rs, 15),
        instant(rs, 16),
        instant(rs, 17),
        instant(rs, 18),
        rs.getString(19),
        rs.getInt(20));
  }

  private Restore mapRestore(ResultSet rs, int i) throws SQLException {
    RestoreJson s = json.readValue(rs.getString(7), RestoreJson.class);
    return new Restore(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        rs.getString(3),
        rs.getObject(4, UUID.class),
        rs.getString(5),
        rs.getObject(6, UUID.class),
        new RestoreSpec(
            s.includeNamespaces(),
            s.namespaceMappings() == null ? Map.of() : new LinkedHashMap<>(s.namespaceMappings()),
            ClusterResources.parse(s.includeClusterResources()).orElse(ClusterResources.AUTO),
            s.restorePVs()),
        BackupState.valueOf(rs.getString(8)),
        rs.getString(9),
        rs.getLong(10),
        rs.getLong(11),
        rs.getInt(12),
        rs.getInt(13),
        rs.getString(14),
        rs.getString(15),
        instant(rs, 16),
        instant(rs, 17),
        instant(rs, 18),
        rs.getInt(19));
  }

  private String spec(BackupSpec s) {
    return json.writeValueAsString(
        new SpecJson(
            s.includeNamespaces(),
            s.excludeNamespaces(),
            s.includeClusterResources().wireName(),
            s.includeDisks(),
            s.ttlHours()));
  }

  private String spec(RestoreSpec s) {
    return json.writeValueAsString(
        new RestoreJson(
            s.includeNamespaces(),
            s.namespaceMappings(),
            s.includeClusterResources().wireName(),
            s.restorePVs()));
  }

  private <T> Optional<T> one(
      String sql, org.springframework.jdbc.core.RowMapper<T> mapper, Object... args) {
    return jdbc.query(sql, mapper, args).stream().findFirst();
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
