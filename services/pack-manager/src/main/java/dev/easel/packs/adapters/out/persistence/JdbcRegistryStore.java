package dev.easel.packs.adapters.out.persistence;

import dev.easel.packs.application.port.RegistryStore;
import dev.easel.packs.domain.HealthState;
import dev.easel.packs.domain.Registry;
import dev.easel.packs.domain.RegistryKind;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Registries in PostgreSQL. The sealed password is read only by {@link #sealedPassword}. */
@Repository
class JdbcRegistryStore implements RegistryStore {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String VIEW =
      "id, name, kind, endpoint, base_content_path, username, password_sealed IS NOT NULL AS"
          + " password_set, ca_certificate, insecure_skip_tls_verify, sync_interval_seconds,"
          + " revision, created_at, updated_at, health_state, health_detail, health_checked_at,"
          + " health_changed_at, sync_state, sync_started_at, sync_finished_at, sync_packs_added,"
          + " sync_packs_removed, sync_manifests_fetched, sync_errors::text";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcRegistryStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(Registry r, byte[] sealedPassword) {
    try {
      jdbc.update(
          "INSERT INTO registry (id, name, kind, endpoint, base_content_path, username,"
              + " password_sealed, ca_certificate, insecure_skip_tls_verify, sync_interval_seconds,"
              + " revision, created_at, updated_at, next_sync_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
              + " ?, ?, ?, ?, ?)",
          r.id(),
          r.name(),
          r.kind().wire(),
          r.endpoint().toString(),
          r.baseContentPath(),
          r.username(),
          sealedPassword,
          r.caCertificate(),
          r.insecureSkipTlsVerify(),
          r.syncIntervalSeconds(),
          r.revision(),
          Timestamp.from(r.createdAt()),
          Timestamp.from(r.updatedAt()),
          Timestamp.from(r.createdAt()));
    } catch (DuplicateKeyException e) {
      throw new DuplicateName(
          e.getMessage() != null && e.getMessage().contains("registry_one_internal")
              ? "there is an internal registry already"
              : "a registry named " + r.name() + " exists");
    }
  }

  @Override
  public boolean update(
      Registry r, long expectedRevision, byte[] sealedPassword, boolean clearPassword) {
    try {
      return jdbc.update(
              "UPDATE registry SET name = ?, endpoint = ?, base_content_path = ?, username = ?,"
                  + " password_sealed = CASE WHEN ? THEN NULL ELSE coalesce(?, password_sealed)"
                  + " END, ca_certificate = ?, insecure_skip_tls_verify = ?,"
                  + " sync_interval_seconds = ?, revision = ?, updated_at = ?, sync_requested ="
                  + " true WHERE id = ? AND revision = ?",
              r.name(),
              r.endpoint().toString(),
              r.baseContentPath(),
              r.username(),
              clearPassword,
              sealedPassword,
              r.caCertificate(),
              r.insecureSkipTlsVerify(),
              r.syncIntervalSeconds(),
              r.revision(),
              Timestamp.from(r.updatedAt()),
              r.id(),
              expectedRevision)
          == 1;
    } catch (DuplicateKeyException e) {
      throw new DuplicateName("a registry named " + r.name() + " exists");
    }
  }

  @Override
  public Optional<Registry> find(UUID id) {
    return jdbc.query("SELECT " + VIEW + " FROM registry WHERE id = ?", this::row, id).stream()
        .findFirst();
  }

  @Override
  public Optional<Registry> findByName(String name) {
    return jdbc.query("SELECT " + VIEW + " FROM registry WHERE name = ?", this::row, name).stream()
        .findFirst();
  }

  @Override
  public Optional<Registry> internal() {
    return jdbc
        .query("SELECT " + VIEW + " FROM registry WHERE kind = 'internal'", this::row)
        .stream()
        .findFirst();
  }

  @Override
  public List<Registry> list() {
    return jdbc.query("SELECT " + VIEW + " FROM registry ORDER BY name", this::row);
  }

  @Override
  public Optional<byte[]> sealedPassword(UUID id) {
    return jdbc
        .query("SELECT password_sealed FROM registry WHERE id = ?", (rs, i) -> rs.getBytes(1), id)
        .stream()
        .filter(b -> b != null)
        .findFirst();
  }

  @Override
  public void delete(UUID id) {
    jdbc.update("DELETE FROM registry WHERE id = ?", id);
  }

  @Override
  public void recordHealth(UUID id, Registry.Health h) {
    jdbc.update(
        "UPDATE registry SET health_state = ?, health_detail = ?, health_checked_at = ?,"
            + " health_changed_at = ? WHERE id = ?",
        h.state() == null ? null : h.state().name(),
        h.detail(),
        ts(h.checkedAt()),
        ts(h.changedAt()),
        id);
  }

  @Override
  public List<UUID> dueForHealthCheck(Instant before) {
    return jdbc.queryForList(
        "SELECT id FROM registry WHERE health_checked_at IS NULL OR health_checked_at < ?",
        UUID.class,
        Timestamp.from(before));
  }

  @Override
  public List<UUID> dueForSync(Instant now) {
    return jdbc.queryForList(
        "SELECT id FROM registry WHERE (sync_requested OR next_sync_at <= ?) AND (sync_state <>"
            + " 'RUNNING' OR sync_lease_until < ?) ORDER BY next_sync_at",
        UUID.class,
        Timestamp.from(now),
        Timestamp.from(now));
  }

  @Override
  public void requestSync(UUID id) {
    jdbc.update("UPDATE registry SET sync_requested = true WHERE id = ?", id);
  }

  @Override
  public boolean claimSync(UUID id, Instant now, Instant leaseUntil) {
    return jdbc.update(
            "UPDATE registry SET sync_state = 'RUNNING', sync_started_at = ?, sync_lease_until = ?,"
                + " sync_requested = false WHERE id = ? AND (sync_state <> 'RUNNING' OR"
                + " sync_lease_until < ?)",
            Timestamp.from(now),
            Timestamp.from(leaseUntil),
            id,
            Timestamp.from(now))
        == 1;
  }

  @Override
  public void finishSync(UUID id, Registry.SyncStatus s, Instant nextSyncAt) {
    jdbc.update(
        "UPDATE registry SET sync_state = ?, sync_started_at = ?, sync_finished_at = ?,"
            + " sync_packs_added = ?, sync_packs_removed = ?, sync_manifests_fetched = ?,"
            + " sync_errors = ?::jsonb, sync_lease_until = NULL, next_sync_at = ? WHERE id = ?",
        s.state(),
        ts(s.startedAt()),
        ts(s.finishedAt()),
        s.packsAdded(),
        s.packsRemoved(),
        s.manifestsFetched(),
        json.writeValueAsString(s.errors()),
        Timestamp.from(nextSyncAt),
        id);
  }

  private Registry row(ResultSet rs, int i) throws SQLException {
    String health = rs.getString("health_state");
    return new Registry(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        RegistryKind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)),
        URI.create(rs.getString("endpoint")),
        rs.getString("base_content_path"),
        rs.getString("username"),
        rs.getBoolean("password_set"),
        rs.getString("ca_certificate"),
        rs.getBoolean("insecure_skip_tls_verify"),
        rs.getInt("sync_interval_seconds"),
        rs.getLong("revision"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        new Registry.Health(
            health == null ? null : HealthState.valueOf(health),
            rs.getString("health_detail"),
            instant(rs, "health_checked_at"),
            instant(rs, "health_changed_at")),
        new Registry.SyncStatus(
            rs.getString("sync_state"),
            instant(rs, "sync_started_at"),
            instant(rs, "sync_finished_at"),
            rs.getInt("sync_packs_added"),
            rs.getInt("sync_packs_removed"),
            rs.getInt("sync_manifests_fetched"),
            json.readValue(rs.getString("sync_errors"), STRINGS)));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
