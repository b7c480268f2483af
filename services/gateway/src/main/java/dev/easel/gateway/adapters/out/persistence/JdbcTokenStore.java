package dev.easel.gateway.adapters.out.persistence;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.port.TokenStore;
import dev.easel.gateway.domain.ApiToken;
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

@Repository
class JdbcTokenStore implements TokenStore {

  private static final String COLUMNS =
      "id, name, role, created_by, created_at, expires_at, revoked_at, last_used_at";

  private final JdbcTemplate jdbc;

  JdbcTokenStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(ApiToken t, byte[] secretHash) {
    try {
      jdbc.update(
          "INSERT INTO api_token (id, name, role, secret_hash, created_by, created_at, expires_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)",
          t.id(),
          t.name(),
          t.role().id(),
          secretHash,
          t.createdBy(),
          Timestamp.from(t.createdAt()),
          Timestamp.from(t.expiresAt()));
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  @Override
  public Optional<ApiToken> findBySecretHash(byte[] secretHash) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM api_token WHERE secret_hash = ?",
            JdbcTokenStore::map,
            secretHash)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<ApiToken> find(UUID id) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM api_token WHERE id = ?", JdbcTokenStore::map, id)
        .stream()
        .findFirst();
  }

  @Override
  public List<ApiToken> all() {
    return jdbc.query(
        "SELECT " + COLUMNS + " FROM api_token ORDER BY created_at DESC", JdbcTokenStore::map);
  }

  @Override
  public boolean revoke(UUID id, Instant at) {
    return jdbc.update(
            "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            Timestamp.from(at),
            id)
        == 1;
  }

  @Override
  public void used(UUID id, Instant at) {
    // At most one write a minute per token: a busy CI token must not write on every request.
    jdbc.update(
        "UPDATE api_token SET last_used_at = ? WHERE id = ?"
            + " AND (last_used_at IS NULL OR last_used_at < CAST(? AS timestamptz) - interval '1 minute')",
        Timestamp.from(at),
        id,
        Timestamp.from(at));
  }

  private static ApiToken map(ResultSet rs, int row) throws SQLException {
    return new ApiToken(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        Role.of(rs.getString(3)).orElseThrow(),
        rs.getString(4),
        rs.getTimestamp(5).toInstant(),
        rs.getTimestamp(6).toInstant(),
        instant(rs.getTimestamp(7)),
        instant(rs.getTimestamp(8)));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
