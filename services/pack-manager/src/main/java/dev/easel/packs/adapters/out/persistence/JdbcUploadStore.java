package dev.easel.packs.adapters.out.persistence;

import static dev.easel.packs.adapters.out.persistence.JdbcRegistryStore.instant;
import static dev.easel.packs.adapters.out.persistence.JdbcRegistryStore.ts;

import dev.easel.packs.application.port.UploadStore;
import dev.easel.packs.domain.Upload;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** Uploads in PostgreSQL. */
@Repository
class JdbcUploadStore implements UploadStore {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String VIEW =
      "id, registry_id, filename, format, state, bytes_received, sha256, signed, signature_key,"
          + " blobs_total, blobs_pushed, blobs_skipped, bytes_pushed, artifacts::text,"
          + " errors::text, created_at, updated_at, finished_at";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  JdbcUploadStore(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @Override
  public void insert(Upload u) {
    jdbc.update(
        "INSERT INTO upload (id, registry_id, filename, format, state, bytes_received, sha256,"
            + " signed, signature_key, blobs_total, blobs_pushed, blobs_skipped, bytes_pushed,"
            + " artifacts, errors, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)",
        u.id(),
        u.registryId(),
        u.filename(),
        u.format(),
        u.state().name(),
        u.bytesReceived(),
        u.sha256(),
        u.signed(),
        u.signatureKey(),
        u.blobsTotal(),
        u.blobsPushed(),
        u.blobsSkipped(),
        u.bytesPushed(),
        json.writeValueAsString(u.artifacts()),
        json.writeValueAsString(u.errors()),
        ts(u.createdAt()),
        ts(u.updatedAt()),
        ts(u.finishedAt()));
  }

  @Override
  public void update(Upload u) {
    jdbc.update(
        "UPDATE upload SET format = ?, state = ?, bytes_received = ?, sha256 = ?, signed = ?,"
            + " signature_key = ?, blobs_total = ?, blobs_pushed = ?, blobs_skipped = ?,"
            + " bytes_pushed = ?, artifacts = ?::jsonb, errors = ?::jsonb, updated_at = ?,"
            + " finished_at = ? WHERE id = ?",
        u.format(),
        u.state().name(),
        u.bytesReceived(),
        u.sha256(),
        u.signed(),
        u.signatureKey(),
        u.blobsTotal(),
        u.blobsPushed(),
        u.blobsSkipped(),
        u.bytesPushed(),
        json.writeValueAsString(u.artifacts()),
        json.writeValueAsString(u.errors()),
        ts(u.updatedAt()),
        ts(u.finishedAt()),
        u.id());
  }

  @Override
  public Optional<Upload> find(UUID id) {
    return jdbc.query("SELECT " + VIEW + " FROM upload WHERE id = ?", this::row, id).stream()
        .findFirst();
  }

  @Override
  public List<Upload> recent(UUID registryId, int limit) {
    return jdbc.query(
        "SELECT " + VIEW + " FROM upload WHERE registry_id = ? ORDER BY created_at DESC LIMIT ?",
        this::row,
        registryId,
        limit);
  }

  @Override
  public List<Upload> unfinished() {
    return jdbc.query(
        "SELECT " + VIEW + " FROM upload WHERE state IN ('RECEIVING', 'PUSHING')", this::row);
  }

  private Upload row(ResultSet rs, int i) throws SQLException {
    return new Upload(
        rs.getObject("id", UUID.class),
        rs.getObject("registry_id", UUID.class),
        rs.getString("filename"),
        rs.getString("format"),
        Upload.State.valueOf(rs.getString("state")),
        rs.getLong("bytes_received"),
        rs.getString("sha256"),
        rs.getBoolean("signed"),
        rs.getString("signature_key"),
        rs.getInt("blobs_total"),
        rs.getInt("blobs_pushed"),
        rs.getInt("blobs_skipped"),
        rs.getLong("bytes_pushed"),
        json.readValue(rs.getString("artifacts"), STRINGS),
        json.readValue(rs.getString("errors"), STRINGS),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "finished_at"));
  }
}
