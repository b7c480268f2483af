package dev.easel.clusters.adapters.out.persistence;

import dev.easel.clusters.application.port.NodeReplica;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.contracts.nodes.NodeFacts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The copy of the nodes in PostgreSQL; labels and facts as JSON. */
@Repository
class JdbcNodeReplica implements NodeReplica {

  private static final String COLUMNS =
      "id, hostname, lifecycle, reservation, cluster_id, reachable, user_labels::text,"
          + " derived_labels::text, facts::text, updated_at";
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcNodeReplica(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public Optional<KnownNode> lock(UUID id) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM known_node WHERE id = ? FOR UPDATE", this::map, id)
        .stream()
        .findFirst();
  }

  @Override
  public void save(KnownNode n) {
    jdbc.update(
        "INSERT INTO known_node (id, hostname, lifecycle, reservation, cluster_id, reachable,"
            + " user_labels, derived_labels, facts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb,"
            + " ?::jsonb, ?::jsonb, ?) ON CONFLICT (id) DO UPDATE SET hostname = excluded.hostname,"
            + " lifecycle = excluded.lifecycle, reservation = excluded.reservation,"
            + " cluster_id = excluded.cluster_id,"
            + " reachable = excluded.reachable, user_labels = excluded.user_labels,"
            + " derived_labels = excluded.derived_labels, facts = excluded.facts,"
            + " updated_at = excluded.updated_at",
        n.id(),
        n.hostname(),
        n.lifecycle().name(),
        n.reservation(),
        n.clusterId(),
        n.reachable(),
        json.writeValueAsString(n.userLabels()),
        json.writeValueAsString(n.derivedLabels()),
        n.facts() == null ? null : json.writeValueAsString(n.facts()),
        Timestamp.from(n.updatedAt()));
  }

  @Override
  public Map<UUID, KnownNode> find(Collection<UUID> ids) {
    Map<UUID, KnownNode> found = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    jdbc.query(
            "SELECT " + COLUMNS + " FROM known_node WHERE id = ANY (?)",
            ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
            this::map)
        .forEach(n -> found.put(n.id(), n));
    return found;
  }

  @Override
  public List<KnownNode> free() {
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM known_node WHERE lifecycle = 'FREE' AND reachable ORDER BY hostname, id",
        this::map);
  }

  private KnownNode map(ResultSet rs, int row) throws SQLException {
    String facts = rs.getString(9);
    return new KnownNode(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        KnownNode.Lifecycle.valueOf(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6),
        json.readValue(rs.getString(7), LABELS),
        json.readValue(rs.getString(8), LABELS),
        facts == null ? null : json.readValue(facts, NodeFacts.class),
        rs.getTimestamp(10).toInstant());
  }
}
