package dev.easel.nodes.application;

import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.Labels;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Creating, listing and revoking registration tokens. */
@Service
public class RegistrationTokens {

  static final long MAX_TTL_SECONDS = 30L * 24 * 3600;
  static final int MAX_USES = 100_000;
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final Clock clock;

  public RegistrationTokens(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /** A token as listed: never its secret. */
  public record TokenView(
      UUID id,
      String name,
      Instant expiresAt,
      int maxUses,
      int uses,
      Map<String, String> labels,
      Instant revokedAt,
      Instant createdAt) {}

  /** A new token; {@code token} is the secret, shown only here. */
  public record CreatedToken(
      UUID id,
      String name,
      String token,
      Instant expiresAt,
      int maxUses,
      int uses,
      Map<String, String> labels) {}

  @Transactional
  public CreatedToken create(
      String name, Long ttlSeconds, Integer maxUses, Map<String, String> labels) {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "name is required, 1 to 100 characters");
    }
    if (ttlSeconds == null || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "ttlSeconds must be between 1 and " + MAX_TTL_SECONDS);
    }
    if (maxUses == null || maxUses < 1 || maxUses > MAX_USES) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "maxUses must be between 1 and " + MAX_USES);
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    for (Map.Entry<String, String> e : l.entrySet()) {
      if (e.getValue() == null) {
        throw new RequestRefused(
            Kind.INVALID, "invalid-token", "label " + e.getKey() + " has no value");
      }
      Labels.problem(e.getKey(), e.getValue(), true)
          .ifPresent(
              p -> {
                throw new RequestRefused(Kind.INVALID, "invalid-token", p);
              });
    }
    UUID id = UUID.randomUUID();
    String secret = Secrets.newSecret("esl_rt_");
    Instant now = clock.instant();
    Instant expires = now.plusSeconds(ttlSeconds);
    jdbc.update(
        "INSERT INTO registration_tokens (id, name, token_hash, expires_at, max_uses, labels, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)",
        id,
        name,
        Secrets.hash(secret),
        java.sql.Timestamp.from(expires),
        maxUses,
        json.writeValueAsString(l),
        java.sql.Timestamp.from(now));
    return new CreatedToken(id, name, secret, expires, maxUses, 0, l);
  }

  public List<TokenView> list() {
    return jdbc.query(
        "SELECT id, name, expires_at, max_uses, uses, labels::text, revoked_at, created_at"
            + " FROM registration_tokens ORDER BY created_at DESC LIMIT 1000",
        (rs, i) ->
            new TokenView(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getTimestamp(3).toInstant(),
                rs.getInt(4),
                rs.getInt(5),
                json.readValue(rs.getString(6), LABELS),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
                rs.getTimestamp(8).toInstant()));
  }

  /** Revokes a token; revoking twice is fine, an unknown id is not. */
  @Transactional
  public void revoke(UUID id) {
    int found =
        jdbc.update(
            "UPDATE registration_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
            java.sql.Timestamp.from(clock.instant()),
            id);
    if (found == 0) {
      throw new RequestRefused(
          Kind.NOT_FOUND, "not-found", "registration token " + id + " does not exist");
    }
  }
}
