package dev.easel.gateway.adapters.out.persistence;

import dev.easel.gateway.application.port.SigningKeyStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcSigningKeyStore implements SigningKeyStore {

  private final JdbcTemplate jdbc;

  JdbcSigningKeyStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void publish(String kid, String publicJwkJson, Instant createdAt, Instant retireAfter) {
    jdbc.update(
        "INSERT INTO signing_key (kid, public_jwk, created_at, retire_after) VALUES (?, ?, ?, ?)",
        kid,
        publicJwkJson,
        Timestamp.from(createdAt),
        Timestamp.from(retireAfter));
  }

  @Override
  public List<String> live(Instant now) {
    return jdbc.queryForList(
        "SELECT public_jwk FROM signing_key WHERE retire_after > ? ORDER BY created_at DESC",
        String.class,
        Timestamp.from(now));
  }

  @Override
  public void forgetRetired(Instant now) {
    jdbc.update("DELETE FROM signing_key WHERE retire_after <= ?", Timestamp.from(now));
  }
}
