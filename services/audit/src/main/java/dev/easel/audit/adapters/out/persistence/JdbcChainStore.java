package dev.easel.audit.adapters.out.persistence;

import dev.easel.audit.application.port.ChainStore;
import dev.easel.audit.domain.AuditRecord;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The chain in PostgreSQL. */
@Repository
class JdbcChainStore implements ChainStore {

  /** The advisory lock that makes one transaction at a time the chain's writer. */
  private static final long WRITER_LOCK = 0x6561_7564_6974L; // "eaudit"

  private static final String COLUMNS =
      "seq, event_id, type, source, subject, actor, time, topic, data, data_hash, prev_hash, hash";

  private final JdbcTemplate jdbc;

  JdbcChainStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void lockWriter() {
    jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> {}, WRITER_LOCK);
  }

  @Override
  public Optional<Head> head() {
    return jdbc
        .query(
            "SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1",
            (rs, i) -> new Head(rs.getLong(1), rs.getString(2)))
        .stream()
        .findFirst();
  }

  @Override
  public Set<String> chained(Collection<String> eventIds) {
    Set<String> found = new HashSet<>();
    jdbc.query(
        "SELECT event_id FROM audit_record WHERE event_id = ANY(?)",
        ps -> {
          Array ids = ps.getConnection().createArrayOf("text", eventIds.toArray());
          ps.setArray(1, ids);
        },
        (org.springframework.jdbc.core.RowCallbackHandler) rs -> found.add(rs.getString(1)));
    return found;
  }

  @Override
  public void insert(List<AuditRecord> records) {
    jdbc.batchUpdate(
        "INSERT INTO audit_record (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        records.stream()
            .map(
                r ->
                    new Object[] {
                      r.seq(),
                      r.eventId(),
                      r.type(),
                      r.source(),
                      r.subject(),
                      r.actor(),
                      r.time() == null ? null : Timestamp.from(r.time()),
                      r.topic(),
                      r.data(),
                      r.dataHash(),
                      r.prevHash(),
                      r.hash()
                    })
            .toList());
  }

  @Override
  public Optional<AuditRecord> find(long seq) {
    return jdbc
        .query("SELECT " + COLUMNS + " FROM audit_record WHERE seq = ?", JdbcChainStore::map, seq)
        .stream()
        .findFirst();
  }

  @Override
  public void scan(long fromSeq, long toSeq, int page, Consumer<List<AuditRecord>> each) {
    long after = fromSeq - 1;
    while (after < toSeq) {
      List<AuditRecord> rows =
          jdbc.query(
              "SELECT "
                  + COLUMNS
                  + " FROM audit_record WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?",
              JdbcChainStore::map,
              after,
              toSeq,
              page);
      if (rows.isEmpty()) {
        return;
      }
      each.accept(rows);
      after = rows.get(rows.size() - 1).seq();
    }
  }

  @Override
  public List<AuditRecord> search(Filter f, long afterSeq, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_record WHERE seq > ?");
    List<Object> args = new ArrayList<>();
    args.add(afterSeq);
    if (f.actor() != null) {
      sql.append(" AND actor = ?");
      args.add(f.actor());
    }
    if (f.type() != null) {
      sql.append(" AND type = ?");
      args.add(f.type());
    }
    if (f.subject() != null) {
      sql.append(" AND subject = ?");
      args.add(f.subject());
    }
    if (f.from() != null) {
      sql.append(" AND time >= ?");
      args.add(Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      sql.append(" AND time < ?");
      args.add(Timestamp.from(f.to()));
    }
    sql.append(" ORDER BY seq LIMIT ?");
    args.add(limit);
    return jdbc.query(sql.toString(), JdbcChainStore::map, args.toArray());
  }

  @Override
  public Optional<Head> lastCheckpoint() {
    return jdbc
        .query(
            "SELECT seq, hash FROM audit_checkpoint ORDER BY id DESC LIMIT 1",
            (rs, i) -> new Head(rs.getLong(1), rs.getString(2)))
        .stream()
        .findFirst();
  }

  @Override
  public void checkpointed(Head head, Instant at) {
    jdbc.update(
        "INSERT INTO audit_checkpoint (seq, hash, at) VALUES (?, ?, ?)",
        head.seq(),
        head.hash(),
        Timestamp.from(at));
  }

  private static AuditRecord map(ResultSet rs, int row) throws SQLException {
    Timestamp t = rs.getTimestamp(7);
    return new AuditRecord(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        t == null ? null : t.toInstant(),
        rs.getString(8),
        rs.getBytes(9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12));
  }
}
