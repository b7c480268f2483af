package dev.easel.nodes.adapters.out.persistence;

import dev.easel.nodes.application.RegistrationTokens.TokenView;
import dev.easel.nodes.application.port.TokenStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Registration tokens in PostgreSQL. Secrets are stored only as SHA-256 hashes: they are 256-bit
 * random values, so a slow password hash would add nothing but latency.
 */
@Repository
class JdbcTokenStore implements TokenStore {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private static final String VIEW =
      "id, name, expires_at, max_uses, uses, labels::text, revoked_at, created_at";
  private static final String USABLE = "revoked_at IS NULL AND expires_at > ? AND uses < max_uses";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcTokenStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(
      UUID id,
      String name,
      byte[] secretHash,
      Instant expiresAt,
      int maxUses,
      Map<String, String> labels,
      Instant at) {
    jdbc.update(
        "INSERT INTO registration_tokens (id, name, token_hash, expires_at, max_uses, labels,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)",
        id,
        name,
        secretHash,
        Timestamp.from(expiresAt),
        maxUses,
        json.writeValueAsString(labels),
        Timestamp.from(at));
  }

  @Override
  public List<TokenView> list(int limit) {
    return jdbc.query(
        "SELECT " + VIEW + " FROM registration_tokens ORDER BY created_at DESC LIMIT ?",
        this::view,
        limit);
  }

  @Override
  public Optional<TokenView> find(UUID id) {
    return jdbc
        .query("SELECT " + VIEW + " FROM registration_tokens WHERE id = ?", this::view, id)
        .stream()
        .findFirst();
  }

  @Override
  public boolean revoke(UUID id, Instant at) {
    return jdbc.update(
            "UPDATE registration_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            Timestamp.from(at),
            id)
        > 0;
  }

  @Override
  public Optional<Usable> usable(byte[] secretHash, Instant now) {
    return jdbc
        .query(
            "SELECT id, labels::text FROM registration_tokens WHERE token_hash = ? AND " + USABLE,
            (rs, i) ->
                new Usable(rs.getObject(1, UUID.class), json.readValue(rs.getString(2), LABELS)),
            secretHash,
            Timestamp.from(now))
        .stream()
        .findFirst();
  }

  @Override
  public boolean use(UUID id, Instant now) {
    return jdbc.update(
            "UPDATE registration_tokens SET uses = uses + 1 WHERE id = ? AND " + USABLE,
            id,
            Timestamp.from(now))
        == 1;
  }

  @Override
  public String whyUnusable(byte[] secretHash, Instant now) {
    return why("token_hash = ?", secretHash, now);
  }

  @Override
  public String whyUnusable(UUID id, Instant now) {
    return why("id = ?", id, now);
  }

  /** Tells revoked, expired and used up apart, and an unknown token from all of them. */
  private String why(String where, Object key, Instant now) {
    List<String> why =
        jdbc.query(
            "SELECT CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= ?"
                + " THEN 'expired' ELSE 'used up' END FROM registration_tokens WHERE "
                + where,
            (rs, i) -> rs.getString(1),
            Timestamp.from(now),
            key);
    return why.isEmpty() ? "unknown" : why.get(0);
  }

  @Override
  public Optional<Remembered> remembered(String idempotencyKey) {
    return jdbc
        .query(
            "SELECT request_hash, token_id FROM token_idempotency WHERE idempotency_key = ?",
            (rs, i) -> new Remembered(rs.getBytes(1), rs.getObject(2, UUID.class)),
            idempotencyKey)
        .stream()
        .findFirst();
  }

  @Override
  public void lockIdempotencyKey(String idempotencyKey) {
    jdbc.queryForList(
        "SELECT pg_advisory_xact_lock(hashtextextended('token-idempotency:' || ?, 0))",
        idempotencyKey);
  }

  @Override
  public void remember(String idempotencyKey, byte[] requestHash, UUID tokenId, Instant at) {
    jdbc.update(
        "INSERT INTO token_idempotency (idempotency_key, request_hash, token_id, created_at)"
            + " VALUES (?, ?, ?, ?)",
        idempotencyKey,
        requestHash,
        tokenId,
        Timestamp.from(at));
  }

  private TokenView view(ResultSet rs, int row) throws SQLException {
    return new TokenView(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getTimestamp(3).toInstant(),
        rs.getInt(4),
        rs.getInt(5),
        json.readValue(rs.getString(6), LABELS),
        rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
        rs.getTimestamp(8).toInstant());
  }
}
