package dev.easel.nodes.adapters.out.persistence;

import dev.easel.nodes.application.NodeQueries;
import dev.easel.nodes.application.NodeView;
import dev.easel.nodes.domain.DerivedLabels;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.LabelSelector;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.NodeState;
import dev.easel.nodes.domain.Platform;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Nodes from PostgreSQL. The state filter runs in SQL; the label selector runs on the merged user
 * and derived labels, scanning in id order in chunks so that a page is full whenever enough nodes
 * match, and the cursor is the last node returned.
 */
@Repository
class JdbcNodeQueries implements NodeQueries {

  private static final int CHUNK = 500;
  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, hostname, lifecycle, reachable, reservation_id, reservation_owner, cluster_id, platform,"
          + " labels::text, inventory::text, last_heartbeat_at, registered_at, version";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcNodeQueries(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public Page list(LabelSelector selector, NodeState state, int pageSize, UUID after) {
    List<NodeView> page = new ArrayList<>();
    UUID cursor = after;
    while (true) {
      List<NodeView> chunk = chunk(state, cursor);
      for (NodeView n : chunk) {
        if (selector.matches(n.labels())) {
          page.add(n);
          if (page.size() == pageSize) {
            return new Page(page, n.id());
          }
        }
      }
      if (chunk.size() < CHUNK) {
        return new Page(page, null);
      }
      cursor = chunk.get(chunk.size() - 1).id();
    }
  }

  @Override
  public Optional<NodeView> find(UUID id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM nodes WHERE id = ?", this::map, id).stream()
        .findFirst();
  }

  private List<NodeView> chunk(NodeState state, UUID after) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM nodes WHERE true");
    if (state != null) {
      sql.append(" AND ").append(stateCondition(state));
    }
    if (after != null) {
      sql.append(" AND id > ?");
      args.add(after);
    }
    sql.append(" ORDER BY id LIMIT ").append(CHUNK);
    return jdbc.query(sql.toString(), this::map, args.toArray());
  }

  private static String stateCondition(NodeState state) {
    return switch (state) {
      case READY -> "lifecycle = 'FREE' AND reachable";
      case RESERVED -> "lifecycle = 'RESERVED' AND reachable";
      case IN_CLUSTER -> "lifecycle = 'IN_CLUSTER' AND reachable";
      case UNREACHABLE -> "lifecycle <> 'DECOMMISSIONED' AND NOT reachable";
      case DECOMMISSIONED -> "lifecycle = 'DECOMMISSIONED'";
    };
  }

  private NodeView map(ResultSet rs, int row) throws SQLException {
    Node node =
        new Node(
            Node.Lifecycle.valueOf(rs.getString("lifecycle")),
            rs.getBoolean("reachable"),
            rs.getString("reservation_id") == null
                ? null
                : new Node.Reservation(
                    rs.getString("reservation_id"), rs.getString("reservation_owner")),
            rs.getString("cluster_id"));
    Inventory inventory = json.readValue(rs.getString("inventory"), Inventory.class);
    Platform platform = Platform.valueOf(rs.getString("platform"));
    Map<String, String> labels =
        new LinkedHashMap<>(json.readValue(rs.getString("labels"), LABELS));
    labels.putAll(DerivedLabels.of(inventory, platform));
    return new NodeView(
        rs.getObject("id", UUID.class),
        rs.getString("hostname"),
        node.state(),
        rs.getString("reservation_id"),
        rs.getString("reservation_owner"),
        rs.getString("cluster_id"),
        platform.label(),
        labels,
        inventory,
        instant(rs.getTimestamp("last_heartbeat_at")),
        instant(rs.getTimestamp("registered_at")),
        rs.getLong("version"));
  }

  private static java.time.Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
