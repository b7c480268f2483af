package dev.easel.nodes.application;

import dev.easel.nodes.domain.Node;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Loads nodes as domain state machines, locked for the caller's transaction. */
@Component
public class NodeLocks {

  private final JdbcTemplate jdbc;

  public NodeLocks(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The existing nodes among {@code ids}, locked in id order until the transaction ends. Locking in
   * one order means two transactions over overlapping nodes never deadlock.
   */
  public Map<UUID, Node> lock(List<UUID> ids) {
    Map<UUID, Node> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbc.execute(
        (Connection c) -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, lifecycle, reachable, reservation_id, reservation_owner, cluster_id"
                      + " FROM nodes WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(
                    rs.getObject(1, UUID.class),
                    new Node(
                        Node.Lifecycle.valueOf(rs.getString(2)),
                        rs.getBoolean(3),
                        rs.getString(4) == null
                            ? null
                            : new Node.Reservation(rs.getString(4), rs.getString(5)),
                        rs.getString(6)));
              }
            }
          }
          return null;
        });
    return out;
  }
}
