package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.ScanStore;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanPlans;
import dev.easel.compliance.domain.scan.ScanState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Scans, their parts and their files in PostgreSQL; options and summary as JSON. */
@Repository
class JdbcScanStore implements ScanStore {

  private static final String SCAN =
      "id, cluster_id, kind, trigger, options::text, state, phase, completed, total, failed,"
          + " reason, summary::text, actor, created_at, finished_at";
  private static final String PART = "scan_id, plan_id, node_id, hostname, role, state, reason";
  private static final String ARTIFACT =
      "scan_id, plan_id, step_id, name, reader, scope, node_id, hostname, role, digest, size,"
          + " media_type, location, read";
  private static final TypeReference<Map<String, String>> OPTIONS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Long>> SUMMARY = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcScanStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(Scan s) {
    jdbc.update(
        "INSERT INTO scans (id, cluster_id, kind, trigger, options, state, phase, completed,"
            + " total, failed, reason, summary, actor, created_at, finished_at)"
            + " VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)",
        s.id(),
        s.clusterId(),
        s.kind().wireName(),
        s.trigger(),
        json.writeValueAsString(s.options()),
        s.state().name(),
        s.phase(),
        s.completed(),
        s.total(),
        s.failed(),
        s.reason(),
        json.writeValueAsString(s.summary()),
        s.actor(),
        Timestamp.from(s.createdAt()),
        timestamp(s.finishedAt()));
  }

  @Override
  public void update(Scan s) {
    jdbc.update(
        "UPDATE scans SET options = ?::jsonb, state = ?, phase = ?, completed = ?, total = ?,"
            + " failed = ?, reason = ?, summary = ?::jsonb, finished_at = ? WHERE id = ?",
        json.writeValueAsString(s.options()),
        s.state().name(),
        s.phase(),
        s.completed(),
        s.total(),
        s.failed(),
        s.reason(),
        json.writeValueAsString(s.summary()),
        timestamp(s.finishedAt()),
        s.id());
  }

  @Override
  public Optional<Scan> find(UUID id) {
    return jdbc.query("SELECT " + SCAN + " FROM scans WHERE id = ?", this::scan, id).stream()
        .findFirst();
  }

  @Override
  public Optional<Scan> lock(UUID id) {
    return jdbc
        .query("SELECT " + SCAN + " FROM scans WHERE id = ? FOR UPDATE", this::scan, id)
        .stream()
        .findFirst();
  }

  @Override
  public List<Scan> ofCluster(UUID clusterId, ScanKind kind, int limit) {
    if (kind == null) {
      return jdbc.query(
          "SELECT "
              + SCAN
              + " FROM scans WHERE cluster_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
          this::scan,
          clusterId,
          limit);
    }
    return jdbc.query(
        "SELECT "
            + SCAN
            + " FROM scans WHERE cluster_id = ? AND kind = ?"
            + " ORDER BY created_at DESC, id DESC LIMIT ?",
        this::scan,
        clusterId,
        kind.wireName(),
        limit);
  }

  @Override
  public Optional<Scan> previousCompleted(UUID clusterId, ScanKind kind, Instant before) {
    return jdbc
        .query(
            "SELECT "
                + SCAN
                + " FROM scans WHERE cluster_id = ? AND kind = ? AND state = 'Completed'"
                + " AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT 1",
            this::scan,
            clusterId,
            kind.wireName(),
            Timestamp.from(before))
        .stream()
        .findFirst();
  }

  @Override
  public List<Scan> inStates(List<ScanState> states, int limit) {
    return inStates(states, null, limit);
  }

  @Override
  public List<Scan> inStates(List<ScanState> states, ScanKind kind, int limit) {
    if (states.isEmpty()) {
      return List.of();
    }
    String[] names = states.stream().map(Enum::name).toArray(String[]::new);
    return jdbc.query(
        "SELECT "
            + SCAN
            + " FROM scans WHERE state = ANY (?) AND (?::text IS NULL OR kind = ?)"
            + " ORDER BY created_at, id LIMIT ?",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("text", names));
          ps.setString(2, kind == null ? null : kind.wireName());
          ps.setString(3, kind == null ? null : kind.wireName());
          ps.setInt(4, limit);
        },
        this::scan);
  }

  @Override
  public void addPart(ScanPlans.Part p, UUID scanId) {
    jdbc.update(
        "INSERT INTO scan_parts (plan_id, scan_id, node_id, hostname, role, state)"
            + " VALUES (?, ?, ?, ?, ?, 'queued') ON CONFLICT (plan_id) DO NOTHING",
        p.planId(),
        scanId,
        p.node().nodeId(),
        p.node().hostname(),
        p.node().role());
    List<ScanPlans.Artifact> expected = p.artifacts();
    if (expected.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        "INSERT INTO scan_artifacts (scan_id, plan_id, name, step_id, reader, scope, node_id,"
            + " hostname, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (scan_id, plan_id, name) DO NOTHING",
        new BatchPreparedStatementSetter() {
          @Override
          public void setValues(PreparedStatement ps, int i) throws SQLException {
            ScanPlans.Artifact a = expected.get(i);
            ps.setObject(1, scanId);
            ps.setString(2, p.planId());
            ps.setString(3, a.name());
            ps.setString(4, a.stepId());
            ps.setString(5, a.reader().name());
            ps.setString(6, a.scope());
            ps.setObject(7, p.node().nodeId());
            ps.setString(8, p.node().hostname());
            ps.setString(9, p.node().role());
          }

          @Override
          public int getBatchSize() {
            return expected.size();
          }
        });
  }

  @Override
  public Optional<PartRow> part(String planId) {
    return jdbc
        .query("SELECT " + PART + " FROM scan_parts WHERE plan_id = ?", JdbcScanStore::part, planId)
        .stream()
        .findFirst();
  }

  @Override
  public List<PartRow> parts(UUID scanId) {
    return jdbc.query(
        "SELECT " + PART + " FROM scan_parts WHERE scan_id = ? ORDER BY hostname, plan_id",
        JdbcScanStore::part,
        scanId);
  }

  @Override
  public void partFinished(String planId, String state, String reason) {
    jdbc.update(
        "UPDATE scan_parts SET state = ?, reason = ? WHERE plan_id = ?", state, reason, planId);
  }

  @Override
  public Optional<ArtifactRow> artifactStored(
      String planId,
      String stepId,
      String name,
      String digest,
      long size,
      String mediaType,
      String location) {
    // The same file again (a redelivered event) keeps its read mark; different content is read
    // again, and its reading replaces what the earlier content wrote.
    return jdbc
        .query(
            "UPDATE scan_artifacts a SET read = a.read AND a.digest IS NOT DISTINCT FROM ?,"
                + " digest = ?, size = ?, media_type = ?, location = ?,"
                + " stored_at = coalesce(a.stored_at, now())"
                + " WHERE plan_id = ? AND step_id = ? AND name = ? RETURNING "
                + ARTIFACT,
            JdbcScanStore::artifact,
            digest,
            digest,
            size,
            mediaType,
            location,
            planId,
            stepId,
            name)
        .stream()
        .findFirst();
  }

  @Override
  public List<ArtifactRow> artifacts(UUID scanId) {
    return jdbc.query(
        "SELECT " + ARTIFACT + " FROM scan_artifacts WHERE scan_id = ? ORDER BY plan_id, name",
        JdbcScanStore::artifact,
        scanId);
  }

  @Override
  public Optional<ArtifactRow> nextToRead() {
    return jdbc
        .query(
            "SELECT "
                + ARTIFACT
                + " FROM scan_artifacts WHERE digest IS NOT NULL AND NOT read"
                + " ORDER BY stored_at LIMIT 1 FOR UPDATE SKIP LOCKED",
            JdbcScanStore::artifact)
        .stream()
        .findFirst();
  }

  @Override
  public void artifactRead(UUID scanId, String planId, String name) {
    jdbc.update(
        "UPDATE scan_artifacts SET read = true WHERE scan_id = ? AND plan_id = ? AND name = ?",
        scanId,
        planId,
        name);
  }

  private Scan scan(ResultSet rs, int row) throws SQLException {
    Timestamp finished = rs.getTimestamp(15);
    return new Scan(
        rs.getObject(1, UUID.class),
        rs.getObject(2, UUID.class),
        ScanKind.parse(rs.getString(3)).orElseThrow(),
        rs.getString(4),
        json.readValue(rs.getString(5), OPTIONS),
        ScanState.valueOf(rs.getString(6)),
        rs.getString(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10),
        rs.getString(11),
        json.readValue(rs.getString(12), SUMMARY),
        rs.getString(13),
        rs.getTimestamp(14).toInstant(),
        finished == null ? null : finished.toInstant());
  }

  private static PartRow part(ResultSet rs, int row) throws SQLException {
    return new PartRow(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getObject(3, UUID.class),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7));
  }

  private static ArtifactRow artifact(ResultSet rs, int row) throws SQLException {
    long size = rs.getLong(11);
    Long boxed = rs.wasNull() ? null : size;
    return new ArtifactRow(
        rs.getObject(1, UUID.class),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        ScanPlans.Reader.valueOf(rs.getString(5)),
        rs.getString(6),
        rs.getObject(7, UUID.class),
        rs.getString(8),
        rs.getString(9),
        rs.getString(10),
        boxed,
        rs.getString(12),
        rs.getString(13),
        rs.getBoolean(14));
  }

  private static Timestamp timestamp(Instant at) {
    return at == null ? null : Timestamp.from(at);
  }
}
