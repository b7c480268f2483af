package dev.easel.clusters.adapters.out.persistence;

import dev.easel.clusters.application.port.ProfileReplica;
import dev.easel.clusters.domain.PublishedProfile;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The published profile versions in PostgreSQL; layers and variables as JSON. */
@Repository
class JdbcProfileReplica implements ProfileReplica {

  private static final TypeReference<List<PublishedProfile.Layer>> LAYERS =
      new TypeReference<>() {};
  private static final TypeReference<List<PublishedProfile.Variable>> VARIABLES =
      new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcProfileReplica(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void save(PublishedProfile p) {
    // A published version is immutable: a second announcement of it changes nothing.
    jdbc.update(
        "INSERT INTO published_profile (name, version, type, cloud_type, layers, variables,"
            + " published_at) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)"
            + " ON CONFLICT (name, version) DO NOTHING",
        p.name(),
        p.version(),
        p.type(),
        p.cloudType(),
        json.writeValueAsString(p.layers()),
        json.writeValueAsString(p.variables()),
        Timestamp.from(p.publishedAt()));
  }

  @Override
  public void delete(String name, String version) {
    jdbc.update("DELETE FROM published_profile WHERE name = ? AND version = ?", name, version);
  }

  @Override
  public Optional<PublishedProfile> find(String name, String version) {
    return jdbc
        .query(
            "SELECT name, version, type, cloud_type, layers::text, variables::text, published_at"
                + " FROM published_profile WHERE name = ? AND version = ?",
            this::map,
            name,
            version)
        .stream()
        .findFirst();
  }

  private PublishedProfile map(ResultSet rs, int row) throws SQLException {
    return new PublishedProfile(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        json.readValue(rs.getString(5), LAYERS),
        json.readValue(rs.getString(6), VARIABLES),
        rs.getTimestamp(7).toInstant());
  }
}
