package dev.easel.packs.adapters.out.persistence;

import static dev.easel.packs.adapters.out.persistence.JdbcRegistryStore.instant;
import static dev.easel.packs.adapters.out.persistence.JdbcRegistryStore.ts;

import dev.easel.packs.application.port.ProfileStore;
import dev.easel.packs.domain.ProfileDefinition;
import dev.easel.packs.domain.ProfileVersion;
import dev.easel.packs.domain.VersionKey;
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
import tools.jackson.databind.ObjectMapper;

/** Cluster profile versions in PostgreSQL: the definition as JSON, and the resolved bill. */
@Repository
class JdbcProfileStore implements ProfileStore {

  private static final String VIEW =
      "definition::text, state, resolved::text, revision, created_at, updated_at, published_at";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcProfileStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(ProfileVersion v) {
    ProfileDefinition d = v.definition();
    try {
      jdbc.update(
          "INSERT INTO profile_version (name, version, version_key, description, type, cloud_type,"
              + " definition, state, resolved, revision, created_at, updated_at, published_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?)",
          d.name(),
          d.version(),
          VersionKey.of(d.version()),
          d.description(),
          d.type(),
          d.cloudType(),
          json.writeValueAsString(d),
          v.state().name(),
          v.publication() == null ? null : json.writeValueAsString(v.publication()),
          v.revision(),
          ts(v.createdAt()),
          ts(v.updatedAt()),
          ts(v.publishedAt()));
    } catch (DuplicateKeyException e) {
      throw new DuplicateVersion("profile " + d.name() + " " + d.version() + " exists");
    }
  }

  @Override
  public boolean update(ProfileVersion v, long expectedRevision) {
    ProfileDefinition d = v.definition();
    return jdbc.update(
            "UPDATE profile_version SET description = ?, type = ?, cloud_type = ?, definition ="
                + " ?::jsonb, state = ?, resolved = ?::jsonb, revision = ?, updated_at = ?,"
                + " published_at = ? WHERE name = ? AND version = ? AND revision = ? AND state ="
                + " 'DRAFT'",
            d.description(),
            d.type(),
            d.cloudType(),
            json.writeValueAsString(d),
            v.state().name(),
            v.publication() == null ? null : json.writeValueAsString(v.publication()),
            v.revision(),
            ts(v.updatedAt()),
            ts(v.publishedAt()),
            d.name(),
            d.version(),
            expectedRevision)
        == 1;
  }

  @Override
  public Optional<ProfileVersion> find(String name, String version) {
    return jdbc
        .query(
            "SELECT " + VIEW + " FROM profile_version WHERE name = ? AND version = ?",
            this::row,
            name,
            version)
        .stream()
        .findFirst();
  }

  @Override
  public List<ProfileVersion> versions(String name) {
    return jdbc.query(
        "SELECT " + VIEW + " FROM profile_version WHERE name = ? ORDER BY version_key DESC",
        this::row,
        name);
  }

  @Override
  public List<ProfileVersion> latest() {
    return jdbc.query(
        "SELECT DISTINCT ON (name) "
            + VIEW
            + " FROM profile_version ORDER BY name, version_key DESC",
        this::row);
  }

  @Override
  public boolean delete(String name, String version) {
    return jdbc.update("DELETE FROM profile_version WHERE name = ? AND version = ?", name, version)
        == 1;
  }

  @Override
  public void attach(UUID clusterId, String name, String version, Instant since) {
    jdbc.update(
        "INSERT INTO profile_usage (cluster_id, profile_name, profile_version, since) VALUES (?,"
            + " ?, ?, ?) ON CONFLICT DO NOTHING",
        clusterId,
        name,
        version,
        Timestamp.from(since));
  }

  @Override
  public void detach(UUID clusterId, String name, String version) {
    jdbc.update(
        "DELETE FROM profile_usage WHERE cluster_id = ? AND profile_name = ? AND profile_version ="
            + " ?",
        clusterId,
        name,
        version);
  }

  @Override
  public List<UUID> usedBy(String name, String version) {
    return jdbc.queryForList(
        "SELECT cluster_id FROM profile_usage WHERE profile_name = ? AND profile_version = ?"
            + " ORDER BY since",
        UUID.class,
        name,
        version);
  }

  private ProfileVersion row(ResultSet rs, int i) throws SQLException {
    String resolved = rs.getString("resolved");
    return new ProfileVersion(
        json.readValue(rs.getString("definition"), ProfileDefinition.class),
        ProfileVersion.State.valueOf(rs.getString("state")),
        resolved == null ? null : json.readValue(resolved, ProfileVersion.Publication.class),
        rs.getLong("revision"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "published_at"));
  }
}
