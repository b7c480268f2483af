package dev.easel.gateway.adapters.out.persistence;

import dev.easel.gateway.application.port.ThrottleStore;
import dev.easel.gateway.domain.LoginBackoff.Attempts;
import java.sql.Timestamp;
import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
class JdbcThrottleStore implements ThrottleStore {

  private final JdbcTemplate jdbc;

  JdbcThrottleStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Attempts lockAndGet(Kind kind, String key) {
    // The row exists before it is locked, so two first failures at once cannot both insert.
    jdbc.update(
        "INSERT INTO login_failure (kind, key, failures, last_failure_at) VALUES (?, ?, 0,"
            + " 'epoch') ON CONFLICT DO NOTHING",
        kind(kind),
        key);
    return read(kind, key, " FOR UPDATE");
  }

  @Override
  public Attempts get(Kind kind, String key) {
    return read(kind, key, "");
  }

  private Attempts read(Kind kind, String key, String lock) {
    return jdbc
        .query(
            "SELECT failures, last_failure_at, blocked_until FROM login_failure WHERE kind = ? AND"
                + " key = ?"
                + lock,
            (rs, i) -> {
              int failures = rs.getInt(1);
              Timestamp last = rs.getTimestamp(2);
              Timestamp blocked = rs.getTimestamp(3);
              return failures == 0
                  ? Attempts.NONE
                  : new Attempts(
                      failures,
                      last == null ? null : last.toInstant(),
                      blocked == null ? null : blocked.toInstant());
            },
            kind(kind),
            key)
        .stream()
        .findFirst()
        .orElse(Attempts.NONE);
  }

  @Override
  public void put(Kind kind, String key, Attempts a) {
    jdbc.update(
        "INSERT INTO login_failure (kind, key, failures, last_failure_at, blocked_until)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET failures ="
            + " excluded.failures, last_failure_at = excluded.last_failure_at, blocked_until ="
            + " excluded.blocked_until",
        kind(kind),
        key,
        a.failures(),
        Timestamp.from(a.lastFailureAt()),
        a.blockedUntil() == null ? null : Timestamp.from(a.blockedUntil()));
  }

  @Override
  public void clear(Kind kind, String key) {
    jdbc.update("DELETE FROM login_failure WHERE kind = ? AND key = ?", kind(kind), key);
  }

  private static String kind(Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
