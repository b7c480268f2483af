package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.domain.scan.ScanTarget;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The running clusters, their nodes and the profiles' Kubernetes versions, in PostgreSQL. */
@Repository
class JdbcClusterReplica implements ClusterReplica {

  private final JdbcTemplate jdbc;

  JdbcClusterReplica(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void running(
      UUID clusterId,
      String name,
      String profileName,
      String profileVersion,
      List<ScanTarget.Node> nodes) {
    jdbc.update(
        "INSERT INTO clusters (id, name, profile_name, profile_version, updated_at)"
            + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
            + " profile_name = excluded.profile_name, profile_version = excluded.profile_version,"
            + " updated_at = excluded.updated_at",
        clusterId,
        name,
        profileName,
        profileVersion);
    jdbc.update("DELETE FROM cluster_nodes WHERE cluster_id = ?", clusterId);
    jdbc.batchUpdate(
        "INSERT INTO cluster_nodes (cluster_id, node_id, hostname, role, position)"
            + " VALUES (?, ?, ?, ?, ?)",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            ScanTarget.Node n = nodes.get(i);
            ps.setObject(1, clusterId);
            ps.setObject(2, n.nodeId());
            ps.setString(3, n.hostname());
            ps.setString(4, n.role());
            ps.setInt(5, i);
          }

          @Override
          public int getBatchSize() {
            return nodes.size();
          }
        });
  }

  @Override
  public void nodeAdded(UUID clusterId, ScanTarget.Node node) {
    // A node of a cluster this replica does not hold (not running yet, or gone) is not kept.
    jdbc.update(
        "INSERT INTO cluster_nodes (cluster_id, node_id, hostname, role, position)"
            + " SELECT c.id, ?, ?, ?, coalesce((SELECT max(position) + 1 FROM cluster_nodes"
            + " WHERE cluster_id = c.id), 0) FROM clusters c WHERE c.id = ?"
            + " ON CONFLICT (cluster_id, node_id) DO UPDATE SET hostname = excluded.hostname,"
            + " role = excluded.role",
        node.nodeId(),
        node.hostname(),
        node.role(),
        clusterId);
  }

  @Override
  public void nodeRemoved(UUID clusterId, UUID nodeId) {
    jdbc.update(
        "DELETE FROM cluster_nodes WHERE cluster_id = ? AND node_id = ?", clusterId, nodeId);
  }

  @Override
  public void deleted(UUID clusterId) {
    jdbc.update("DELETE FROM clusters WHERE id = ?", clusterId);
  }

  @Override
  public void profile(String name, String version, String kubernetesVersion) {
    jdbc.update(
        "INSERT INTO profile_versions (name, version, kubernetes_version) VALUES (?, ?, ?)"
            + " ON CONFLICT (name, version) DO UPDATE SET"
            + " kubernetes_version = excluded.kubernetes_version",
        name,
        version,
        kubernetesVersion);
  }

  @Override
  public Optional<ScanTarget> find(UUID clusterId) {
    List<String[]> cluster =
        jdbc.query(
            "SELECT c.name, p.kubernetes_version FROM clusters c LEFT JOIN profile_versions p"
                + " ON p.name = c.profile_name AND p.version = c.profile_version WHERE c.id = ?",
            (rs, i) -> new String[] {rs.getString(1), rs.getString(2)},
            clusterId);
    if (cluster.isEmpty()) {
      return Optional.empty();
    }
    List<ScanTarget.Node> nodes =
        jdbc.query(
            "SELECT node_id, hostname, role FROM cluster_nodes WHERE cluster_id = ?"
                + " ORDER BY role <> 'init', position, node_id",
            (rs, i) ->
                new ScanTarget.Node(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)),
            clusterId);
    return Optional.of(new ScanTarget(clusterId, cluster.get(0)[0], cluster.get(0)[1], nodes));
  }
}
