package dev.easel.clusters.adapters.out.persistence;

import dev.easel.clusters.application.port.ClusterStore;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.ClusterState;
import dev.easel.clusters.domain.cluster.Failure;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.config.ClusterConfig;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** Clusters in PostgreSQL: the looked-up fields in columns, the rest as one JSON body. */
@Repository
class JdbcClusterStore implements ClusterStore {

  private static final String COLUMNS =
      "id, name, kind, state, body::text, saga_id, created_at, updated_at";

  /** What the body column holds. */
  record Body(
      Map<String, String> tags,
      String profileName,
      String profileVersion,
      ClusterConfig config,
      List<Cluster.Pool> pools,
      List<Member> members,
      Set<UUID> unreachable,
      Failure failure) {}

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcClusterStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(Cluster c, byte[] sealedSecrets) {
    try {
      jdbc.update(
          "INSERT INTO cluster (id, name, kind, state, body, secrets, saga_id, created_at,"
              + " updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)",
          c.id(),
          c.name(),
          c.kind(),
          c.state().name(),
          body(c),
          sealedSecrets,
          c.sagaId(),
          Timestamp.from(c.createdAt()),
          Timestamp.from(c.updatedAt()));
    } catch (DuplicateKeyException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("cluster_one_management")) {
        throw new Taken("management", "there is a management cluster already");
      }
      if (message.contains("cluster_vip_live")) {
        throw new Taken(
            "vip", "VIP " + c.config().vip() + " is the control-plane address of another cluster");
      }
      throw new Taken("name", "a cluster named " + c.name() + " exists already");
    }
    jdbc.batchUpdate(
        "INSERT INTO cluster_member (cluster_id, node_id) VALUES (?, ?)",
        c.members().stream().map(m -> new Object[] {c.id(), m.nodeId()}).toList());
  }

  @Override
  public void update(Cluster c) {
    jdbc.update(
        "UPDATE cluster SET state = ?, body = ?::jsonb, saga_id = ?, updated_at = ?,"
            + " version = version + 1 WHERE id = ?",
        c.state().name(),
        body(c),
        c.sagaId(),
        Timestamp.from(c.updatedAt()),
        c.id());
  }

  @Override
  public Optional<Cluster> find(UUID id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM cluster WHERE id = ?", this::map, id).stream()
        .findFirst();
  }

  @Override
  public Optional<Cluster> lock(UUID id) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM cluster WHERE id = ? FOR UPDATE", this::map, id)
        .stream()
        .findFirst();
  }

  @Override
  public List<Cluster> list(UUID after, int limit, boolean includeDeleted) {
    String deleted = includeDeleted ? "" : " AND state <> 'DELETED'";
    if (after == null) {
      return jdbc.query(
          "SELECT "
              + COLUMNS
              + " FROM cluster WHERE true"
              + deleted
              + " ORDER BY created_at, id LIMIT ?",
          this::map,
          limit);
    }
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM cluster WHERE (created_at, id) > (SELECT created_at, id FROM cluster WHERE id"
            + " = ?)"
            + deleted
            + " ORDER BY created_at, id LIMIT ?",
        this::map,
        after,
        limit);
  }

  @Override
  public List<Cluster> lockServing(UUID nodeId) {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM cluster WHERE state <> 'DELETED' AND id IN (SELECT cluster_id FROM"
            + " cluster_member WHERE node_id = ?) ORDER BY id FOR UPDATE",
        this::map,
        nodeId);
  }

  @Override
  public byte[] secrets(UUID id) {
    return jdbc.queryForObject("SELECT secrets FROM cluster WHERE id = ?", byte[].class, id);
  }

  @Override
  public void keepKubeconfig(UUID id, byte[] sealed) {
    jdbc.update("UPDATE cluster SET kubeconfig = ? WHERE id = ?", sealed, id);
  }

  @Override
  public Optional<byte[]> kubeconfig(UUID id) {
    List<byte[]> found =
        jdbc.query(
            "SELECT kubeconfig FROM cluster WHERE id = ? AND kubeconfig IS NOT NULL",
            (rs, i) -> rs.getBytes(1),
            id);
    return found.stream().findFirst();
  }

  @Override
  public Optional<String> clusterUsingVip(String vip) {
    return jdbc
        .queryForList(
            "SELECT name FROM cluster WHERE state <> 'DELETED' AND body -> 'config' ->> 'vip' = ?",
            String.class,
            vip)
        .stream()
        .findFirst();
  }

  @Override
  public void addMembers(UUID id, java.util.Collection<UUID> nodeIds) {
    jdbc.batchUpdate(
        "INSERT INTO cluster_member (cluster_id, node_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        nodeIds.stream().map(n -> new Object[] {id, n}).toList());
  }

  @Override
  public void removeMembers(UUID id, java.util.Collection<UUID> nodeIds) {
    jdbc.batchUpdate(
        "DELETE FROM cluster_member WHERE cluster_id = ? AND node_id = ?",
        nodeIds.stream().map(n -> new Object[] {id, n}).toList());
  }

  @Override
  public void dropMembers(UUID id) {
    jdbc.update("DELETE FROM cluster_member WHERE cluster_id = ?", id);
  }

  private String body(Cluster c) {
    return json.writeValueAsString(
        new Body(
            c.tags(),
            c.profileName(),
            c.profileVersion(),
            c.config(),
            c.pools(),
            c.members(),
            c.unreachable(),
            c.failure()));
  }

  private Cluster map(ResultSet rs, int row) throws SQLException {
    Body b = json.readValue(rs.getString(5), Body.class);
    return new Cluster(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        b.tags(),
        rs.getString(3),
        b.profileName(),
        b.profileVersion(),
        b.config(),
        b.pools(),
        b.members(),
        ClusterState.valueOf(rs.getString(4)),
        b.unreachable(),
        b.failure(),
        rs.getObject(6, UUID.class),
        rs.getTimestamp(7).toInstant(),
        rs.getTimestamp(8).toInstant());
  }
}
