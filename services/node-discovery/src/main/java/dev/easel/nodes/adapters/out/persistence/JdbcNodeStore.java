package dev.easel.nodes.adapters.out.persistence;

import dev.easel.nodes.application.port.NodeRecord;
import dev.easel.nodes.application.port.NodeStore;
import dev.easel.nodes.domain.DerivedLabels;
import dev.easel.nodes.domain.Inventory;
import dev.easel.nodes.domain.Node;
import dev.easel.nodes.domain.Platform;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Nodes in PostgreSQL. A node's lifecycle and reachability are separate columns, as in {@link
 * Node}; {@code labels} holds user labels and {@code all_labels} those plus the derived ones, kept
 * in step on every write so that selectors can be answered by an index.
 */
@Repository
class JdbcNodeStore implements NodeStore {

  private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
  private static final String STATE =
      "lifecycle, reachable, reservation_id, reservation_owner, cluster_id";
  private static final String RECORD =
      "id, machine_id, hostname, " + STATE + ", platform, labels::text, inventory::text, version";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcNodeStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public Optional<NodeRecord> lockByMachine(String machineId) {
    return jdbc
        .query(
            "SELECT " + RECORD + " FROM nodes WHERE machine_id = ? FOR UPDATE",
            this::record,
            machineId)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<NodeRecord> lockRecord(UUID id) {
    return jdbc
        .query("SELECT " + RECORD + " FROM nodes WHERE id = ? FOR UPDATE", this::record, id)
        .stream()
        .findFirst();
  }

  @Override
  public Map<UUID, Node> lock(Collection<UUID> ids) {
    Map<UUID, Node> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    jdbc.query(
        "SELECT id, " + STATE + " FROM nodes WHERE id = ANY (?) ORDER BY id FOR UPDATE",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray())),
        (RowCallbackHandler) rs -> out.put(rs.getObject(1, UUID.class), node(rs, 2)));
    return out;
  }

  @Override
  public void insert(NodeRecord n, byte[] credentialHash, UUID token, Instant at) {
    jdbc.update(
        "INSERT INTO nodes (id, machine_id, hostname, lifecycle, reachable, reservation_id,"
            + " reservation_owner, cluster_id, platform, labels, all_labels, inventory,"
            + " credential_hash, registered_with, last_heartbeat_at, registered_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)",
        n.id(),
        n.machineId(),
        n.hostname(),
        n.node().lifecycle().name(),
        n.node().reachable(),
        reservationId(n.node()),
        reservationOwner(n.node()),
        n.node().clusterId(),
        n.platform().name(),
        json.writeValueAsString(n.userLabels()),
        json.writeValueAsString(allLabels(n)),
        json.writeValueAsString(n.inventory()),
        credentialHash,
        token,
        ts(at),
        ts(at),
        ts(at));
  }

  @Override
  public void saveRegistration(NodeRecord n, byte[] credentialHash, UUID token, Instant at) {
    jdbc.update(
        "UPDATE nodes SET hostname = ?, lifecycle = ?, reachable = ?, reservation_id = ?,"
            + " reservation_owner = ?, cluster_id = ?, platform = ?, labels = ?::jsonb,"
            + " all_labels = ?::jsonb, inventory = ?::jsonb, credential_hash = ?,"
            + " registered_with = ?, last_heartbeat_at = ?, updated_at = ?, version = version + 1"
            + " WHERE id = ?",
        n.hostname(),
        n.node().lifecycle().name(),
        n.node().reachable(),
        reservationId(n.node()),
        reservationOwner(n.node()),
        n.node().clusterId(),
        n.platform().name(),
        json.writeValueAsString(n.userLabels()),
        json.writeValueAsString(allLabels(n)),
        json.writeValueAsString(n.inventory()),
        credentialHash,
        token,
        ts(at),
        ts(at),
        n.id());
  }

  @Override
  public void save(UUID id, Node node, Instant at) {
    jdbc.update(
        "UPDATE nodes SET lifecycle = ?, reachable = ?, reservation_id = ?, reservation_owner = ?,"
            + " cluster_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
        node.lifecycle().name(),
        node.reachable(),
        reservationId(node),
        reservationOwner(node),
        node.clusterId(),
        ts(at),
        id);
  }

  @Override
  public void saveDecommissioned(UUID id, Node node, Instant at) {
    save(id, node, at);
    jdbc.update("UPDATE nodes SET credential_hash = NULL WHERE id = ?", id);
  }

  @Override
  public void saveInventory(NodeRecord n, Instant at) {
    jdbc.update(
        "UPDATE nodes SET inventory = ?::jsonb, hostname = ?, platform = ?, all_labels = ?::jsonb,"
            + " updated_at = ?, version = version + 1 WHERE id = ?",
        json.writeValueAsString(n.inventory()),
        n.hostname(),
        n.platform().name(),
        json.writeValueAsString(allLabels(n)),
        ts(at),
        n.id());
  }

  @Override
  public void saveLabels(NodeRecord n, Instant at) {
    jdbc.update(
        "UPDATE nodes SET labels = ?::jsonb, all_labels = ?::jsonb, updated_at = ?,"
            + " version = version + 1 WHERE id = ?",
        json.writeValueAsString(n.userLabels()),
        json.writeValueAsString(allLabels(n)),
        ts(at),
        n.id());
  }

  @Override
  public List<UUID> heldBy(String reservationId) {
    return jdbc.query(
        "SELECT id FROM nodes WHERE reservation_id = ? ORDER BY id",
        (rs, i) -> rs.getObject(1, UUID.class),
        reservationId);
  }

  @Override
  public boolean isReleased(String reservationId) {
    return Boolean.TRUE.equals(
        jdbc.queryForObject(
            "SELECT EXISTS (SELECT 1 FROM released_reservations WHERE reservation_id = ?)",
            Boolean.class,
            reservationId));
  }

  @Override
  public void markReleased(String reservationId, Instant at) {
    jdbc.update(
        "INSERT INTO released_reservations (reservation_id, released_at) VALUES (?, ?)"
            + " ON CONFLICT DO NOTHING",
        reservationId,
        ts(at));
  }

  @Override
  public Optional<UUID> ownerOfCredential(byte[] credentialHash) {
    return jdbc
        .query(
            "SELECT id FROM nodes WHERE credential_hash = ? AND lifecycle <> 'DECOMMISSIONED'",
            (rs, i) -> rs.getObject(1, UUID.class),
            (Object) credentialHash)
        .stream()
        .findFirst();
  }

  @Override
  public Map<UUID, Node> lockForHeartbeats(Map<UUID, byte[]> credentialHashes) {
    Map<UUID, Node> out = new LinkedHashMap<>();
    if (credentialHashes.isEmpty()) {
      return out;
    }
    List<UUID> ids = new ArrayList<>(credentialHashes.keySet());
    // Hex, not bytea[]: arrays of bytea are the one array type the driver handles least well.
    List<String> hashes =
        ids.stream()
            .map(id -> java.util.HexFormat.of().formatHex(credentialHashes.get(id)))
            .toList();
    jdbc.query(
        "SELECT n.id, n."
            + STATE.replace(", ", ", n.")
            + " FROM nodes n JOIN unnest(?::uuid[], ?::text[]) AS v(id, h)"
            + " ON n.id = v.id AND n.credential_hash = decode(v.h, 'hex')"
            + " WHERE n.lifecycle <> 'DECOMMISSIONED' ORDER BY n.id FOR UPDATE OF n",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray()));
          ps.setArray(2, ps.getConnection().createArrayOf("text", hashes.toArray()));
        },
        (RowCallbackHandler) rs -> out.put(rs.getObject(1, UUID.class), node(rs, 2)));
    return out;
  }

  @Override
  public void saveHeartbeats(Map<UUID, Instant> at, Map<UUID, Node> after) {
    if (at.isEmpty()) {
      return;
    }
    List<UUID> ids = new ArrayList<>(at.keySet());
    List<Timestamp> times = ids.stream().map(id -> ts(at.get(id))).toList();
    List<Boolean> reachable =
        ids.stream().map(id -> after.containsKey(id) ? after.get(id).reachable() : null).toList();
    // One statement for every heartbeat of the flush; a node whose state changed (recovered)
    // also gets its new reachability and a new version.
    jdbc.update(
        "UPDATE nodes n SET last_heartbeat_at = greatest(n.last_heartbeat_at, v.t),"
            + " reachable = coalesce(v.r, n.reachable),"
            + " version = n.version + CASE WHEN v.r IS NULL THEN 0 ELSE 1 END"
            + " FROM unnest(?::uuid[], ?::timestamptz[], ?::boolean[]) AS v(id, t, r)"
            + " WHERE n.id = v.id",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("uuid", ids.toArray()));
          ps.setArray(2, ps.getConnection().createArrayOf("timestamptz", times.toArray()));
          ps.setArray(3, ps.getConnection().createArrayOf("boolean", reachable.toArray()));
        });
  }

  @Override
  public Map<UUID, Silent> lockSilent(Instant cutoff, int limit) {
    Map<UUID, Silent> out = new LinkedHashMap<>();
    jdbc.query(
        "SELECT id, "
            + STATE
            + ", last_heartbeat_at FROM nodes WHERE reachable AND lifecycle <> 'DECOMMISSIONED'"
            + " AND last_heartbeat_at < ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
        (RowCallbackHandler)
            rs ->
                out.put(
                    rs.getObject(1, UUID.class),
                    new Silent(node(rs, 2), rs.getTimestamp(7).toInstant())),
        ts(cutoff),
        limit);
    return out;
  }

  private Map<String, String> allLabels(NodeRecord n) {
    Map<String, String> all = new LinkedHashMap<>(n.userLabels());
    all.putAll(DerivedLabels.of(n.inventory(), n.platform()));
    return all;
  }

  private NodeRecord record(ResultSet rs, int row) throws SQLException {
    return new NodeRecord(
        rs.getObject("id", UUID.class),
        rs.getString("machine_id"),
        rs.getString("hostname"),
        node(rs, 4),
        Platform.valueOf(rs.getString("platform")),
        json.readValue(rs.getString("labels"), LABELS),
        json.readValue(rs.getString("inventory"), Inventory.class),
        rs.getLong("version"));
  }

  /** The state machine from the five state columns starting at {@code from}. */
  static Node node(ResultSet rs, int from) throws SQLException {
    String reservation = rs.getString(from + 2);
    return new Node(
        Node.Lifecycle.valueOf(rs.getString(from)),
        rs.getBoolean(from + 1),
        reservation == null ? null : new Node.Reservation(reservation, rs.getString(from + 3)),
        rs.getString(from + 4));
  }

  private static String reservationId(Node n) {
    return n.reservation() == null ? null : n.reservation().id();
  }

  private static String reservationOwner(Node n) {
    return n.reservation() == null ? null : n.reservation().owner();
  }

  private static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
