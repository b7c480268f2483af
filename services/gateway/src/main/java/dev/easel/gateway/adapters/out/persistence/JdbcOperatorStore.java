package dev.easel.gateway.adapters.out.persistence;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.port.OperatorStore;
import dev.easel.gateway.domain.Operator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcOperatorStore implements OperatorStore {

  private static final String COLUMNS =
      "name, password_hash, role, must_change_password, disabled, source, created_at, updated_at";

  private final JdbcTemplate jdbc;

  JdbcOperatorStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Operator> find(String name) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM operator WHERE name = ?", JdbcOperatorStore::map, name)
        .stream()
        .findFirst();
  }

  @Override
  public List<Operator> all() {
    return jdbc.query("SELECT " + COLUMNS + " FROM operator ORDER BY name", JdbcOperatorStore::map);
  }

  @Override
  public boolean insert(Operator o) {
    return jdbc.update(
            "INSERT INTO operator ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING",
            o.name(),
            o.passwordHash(),
            o.role().id(),
            o.mustChangePassword(),
            o.disabled(),
            o.source(),
            Timestamp.from(o.createdAt()),
            Timestamp.from(o.updatedAt()))
        == 1;
  }

  @Override
  public void update(Operator o) {
    jdbc.update(
        "UPDATE operator SET password_hash = ?, role = ?, must_change_password = ?, disabled = ?,"
            + " updated_at = ? WHERE name = ?",
        o.passwordHash(),
        o.role().id(),
        o.mustChangePassword(),
        o.disabled(),
        Timestamp.from(o.updatedAt()),
        o.name());
  }

  @Override
  public boolean delete(String name) {
    return jdbc.update("DELETE FROM operator WHERE name = ?", name) == 1;
  }

  @Override
  public long count() {
    Long n = jdbc.queryForObject("SELECT count(*) FROM operator", Long.class);
    return n == null ? 0 : n;
  }

  @Override
  public long activeAdmins() {
    Long n =
        jdbc.queryForObject(
            "SELECT count(*) FROM operator WHERE role = 'admin' AND NOT disabled", Long.class);
    return n == null ? 0 : n;
  }

  @Override
  public void lockAll() {
    jdbc.queryForObject(
        "SELECT pg_advisory_xact_lock(hashtext('easel.gateway.operators'))", Object.class);
  }

  private static Operator map(ResultSet rs, int row) throws SQLException {
    return new Operator(
        rs.getString(1),
        rs.getString(2),
        Role.of(rs.getString(3)).orElseThrow(),
        rs.getBoolean(4),
        rs.getBoolean(5),
        rs.getString(6),
        rs.getTimestamp(7).toInstant(),
        rs.getTimestamp(8).toInstant());
  }
}
