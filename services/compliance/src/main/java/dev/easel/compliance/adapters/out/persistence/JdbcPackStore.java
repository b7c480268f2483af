package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.PackStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The feature packs' versions in PostgreSQL. Versions are ordered in Java ({@link VersionOrder}): a
 * pack has a handful of versions, and SQL has no semantic version order.
 */
@Repository
class JdbcPackStore implements PackStore {

  /** Highest version first; the same version in two registries, the latest announced first. */
  private static final Comparator<PackVersion> HIGHEST_FIRST =
      Comparator.comparing(PackVersion::version, VersionOrder.INSTANCE)
          .thenComparing(PackVersion::at)
          .thenComparing(p -> p.registryId().toString())
          .reversed();

  private final JdbcTemplate jdbc;

  JdbcPackStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean added(PackVersion p) {
    lock(p.name());
    boolean first = !exists(p.name());
    jdbc.update(
        "INSERT INTO packs (registry_id, registry, name, version, digest, \"values\", at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (registry_id, name, version) DO UPDATE"
            + " SET registry = excluded.registry, digest = excluded.digest,"
            + " \"values\" = excluded.\"values\", at = excluded.at",
        p.registryId(),
        p.registry(),
        p.name(),
        p.version(),
        p.digest(),
        p.values(),
        Timestamp.from(p.at()));
    return first;
  }

  @Override
  public boolean removed(UUID registryId, String name, String version) {
    lock(name);
    int n =
        jdbc.update(
            "DELETE FROM packs WHERE registry_id = ? AND name = ? AND version = ?",
            registryId,
            name,
            version);
    // Only the removal that took the last version says so: a repeated event changes nothing.
    return n > 0 && !exists(name);
  }

  @Override
  public Optional<PackVersion> best(String name) {
    return versions(name).stream().findFirst();
  }

  @Override
  public List<PackVersion> versions(String name) {
    return jdbc
        .query(
            "SELECT registry_id, registry, name, version, digest, \"values\", at FROM packs"
                + " WHERE name = ?",
            JdbcPackStore::map,
            name)
        .stream()
        .sorted(HIGHEST_FIRST)
        .toList();
  }

  /**
   * Serialises changes to one pack until the transaction ends, so that of two registries adding (or
   * removing) the same pack at once exactly one is told it was the first (or the last).
   */
  private void lock(String name) {
    jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "packs/" + name);
  }

  private boolean exists(String name) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM packs WHERE name = ?)", Boolean.class, name));
  }

  private static PackVersion map(ResultSet rs, int row) throws SQLException {
    return new PackVersion(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getTimestamp(7).toInstant());
  }
}
