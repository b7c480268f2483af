package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.FeatureStore;
import dev.easel.compliance.domain.feature.Feature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Feature enablements in PostgreSQL, one row per cluster and feature. */
@Repository
class JdbcFeatureStore implements FeatureStore {

  private static final String COLUMNS =
      "cluster_id, feature, state, pack, version, digest, plan_id, reason, actor, at";

  private final JdbcTemplate jdbc;

  JdbcFeatureStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Map<Feature, Enablement> ofCluster(UUID clusterId) {
    Map<Feature, Enablement> out = new EnumMap<>(Feature.class);
    jdbc.query(
            "SELECT " + COLUMNS + " FROM feature_enablements WHERE cluster_id = ?",
            JdbcFeatureStore::map,
            clusterId)
        .forEach(
            e -> {
              if (e.feature() != null) {
                out.put(e.feature(), e);
              }
            });
    return out;
  }

  @Override
  public Optional<Enablement> find(UUID clusterId, Feature feature) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM feature_enablements WHERE cluster_id = ? AND feature = ?",
            JdbcFeatureStore::map,
            clusterId,
            feature.wireName())
        .stream()
        .findFirst();
  }

  @Override
  public Optional<Enablement> byPlan(String planId) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM feature_enablements WHERE plan_id = ? LIMIT 1",
            JdbcFeatureStore::map,
            planId)
        .stream()
        .findFirst();
  }

  @Override
  public void save(Enablement e) {
    jdbc.update(
        "INSERT INTO feature_enablements ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (cluster_id, feature) DO UPDATE SET state = excluded.state,"
            + " pack = excluded.pack, version = excluded.version, digest = excluded.digest,"
            + " plan_id = excluded.plan_id, reason = excluded.reason, actor = excluded.actor,"
            + " at = excluded.at",
        e.clusterId(),
        e.feature().wireName(),
        e.state(),
        e.pack(),
        e.version(),
        e.digest(),
        e.planId(),
        e.reason(),
        e.actor(),
        Timestamp.from(e.at()));
  }

  private static Enablement map(ResultSet rs, int row) throws SQLException {
    return new Enablement(
        rs.getObject(1, UUID.class),
        Feature.parse(rs.getString(2)).orElse(null),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getTimestamp(10).toInstant());
  }
}
