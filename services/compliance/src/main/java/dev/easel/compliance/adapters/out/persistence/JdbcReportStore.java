package dev.easel.compliance.adapters.out.persistence;

import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Component;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.io.StringReader;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reports in PostgreSQL. A report is written with {@code COPY} in batches of {@value #BATCH_ROWS}
 * rows, so that a scan's 50,000 vulnerabilities go in within seconds and are never all in memory;
 * it is read by keyset pages on {@code seq}.
 */
@Repository
class JdbcReportStore implements ReportStore {

  static final int BATCH_ROWS = 1000;

  /** Flushes early when rows are long (a conformance failure's message), to bound the buffer. */
  static final int BATCH_CHARS = 4 << 20;

  static final int MAX_PAGE = 10_000;
  static final int DEFAULT_PAGE = 100;

  private static final String FINDING =
      "seq, node, role, scope, rule_id, title, status, severity, detail, remediation, reference,"
          + " pkg_name, pkg_version, pkg_type, purl, fix_state, fixed_in, locations";
  private static final String COPY_FINDINGS =
      "COPY findings (scan_id, artifact, node, role, scope, rule_id, title, status, severity,"
          + " detail, remediation, reference, pkg_name, pkg_version, pkg_type, purl, fix_state,"
          + " fixed_in, locations) FROM STDIN";
  private static final String COPY_COMPONENTS =
      "COPY components (scan_id, artifact, source, name, version, type, purl) FROM STDIN";
  private static final String FAILING = "('FAIL', 'WARN')";

  private final JdbcTemplate jdbc;

  JdbcReportStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Writer writer(UUID scanId, String artifact) {
    jdbc.update("DELETE FROM findings WHERE scan_id = ? AND artifact = ?", scanId, artifact);
    jdbc.update("DELETE FROM components WHERE scan_id = ? AND artifact = ?", scanId, artifact);
    return new CopyWriter(scanId, artifact);
  }

  @Override
  public List<Row> findings(UUID scanId, Filter filter) {
    int limit = filter.limit() <= 0 ? DEFAULT_PAGE : Math.min(filter.limit(), MAX_PAGE);
    return page(scanId, filter, filter.after(), limit);
  }

  @Override
  public void eachFinding(UUID scanId, Filter filter, Consumer<Finding> each) {
    // Pages by seq rather than one cursor: it streams whether or not a transaction is open.
    long after = filter.after();
    while (true) {
      List<Row> page = page(scanId, filter, after, BATCH_ROWS);
      for (Row r : page) {
        each.accept(r.finding());
      }
      if (page.size() < BATCH_ROWS) {
        return;
      }
      after = page.get(page.size() - 1).seq();
    }
  }

  private List<Row> page(UUID scanId, Filter filter, long after, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT " + FINDING + " FROM findings WHERE scan_id = ? AND seq > ?");
    List<Object> args = new ArrayList<>(List.of(scanId, after));
    if (filter.node() != null) {
      sql.append(" AND node = ?");
      args.add(filter.node());
    }
    if (filter.role() != null) {
      sql.append(" AND role = ?");
      args.add(filter.role());
    }
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      args.add(filter.status().name());
    }
    if (filter.severity() != null) {
      sql.append(" AND severity = ?");
      args.add(filter.severity().name());
    }
    sql.append(" ORDER BY seq LIMIT ?");
    args.add(limit);
    return jdbc.query(
        sql.toString(), (rs, i) -> new Row(rs.getLong(1), finding(rs)), args.toArray());
  }

  @Override
  public Map<String, Long> summary(UUID scanId) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Status s : Status.values()) {
      out.put(key(s), 0L);
    }
    for (Severity s : Severity.values()) {
      if (s != Severity.NONE) {
        out.put(key(s), 0L);
      }
    }
    jdbc.query(
        "SELECT status, severity, count(*) FROM findings WHERE scan_id = ?"
            + " GROUP BY status, severity",
        rs -> {
          Status status = Status.valueOf(rs.getString(1));
          Severity severity = Severity.valueOf(rs.getString(2));
          long n = rs.getLong(3);
          out.merge(key(status), n, Long::sum);
          if (status == Status.FAIL && severity != Severity.NONE) {
            out.merge(key(severity), n, Long::sum);
          }
        },
        scanId);
    Long components =
        jdbc.queryForObject(
            "SELECT count(*) FROM components WHERE scan_id = ?", Long.class, scanId);
    out.put("components", components == null ? 0L : components);
    return out;
  }

  @Override
  public List<Finding> newSince(UUID scanId, UUID baseline, int limit) {
    int n = limit <= 0 ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
    return jdbc.query(
        "SELECT "
            + FINDING
            + " FROM findings f WHERE "
            + notInBaseline()
            + " ORDER BY f.seq LIMIT ?",
        (rs, i) -> finding(rs),
        scanId,
        baseline,
        n);
  }

  @Override
  public long countNewSince(UUID scanId, UUID baseline) {
    Long n =
        jdbc.queryForObject(
            "SELECT count(*) FROM findings f WHERE " + notInBaseline(),
            Long.class,
            scanId,
            baseline);
    return n == null ? 0 : n;
  }

  /** A failing finding of the scan with no failing finding of the same key in the baseline. */
  private static String notInBaseline() {
    return "f.scan_id = ? AND f.status IN "
        + FAILING
        + " AND NOT EXISTS (SELECT 1 FROM findings b WHERE b.scan_id = ? AND b.status IN "
        + FAILING
        + " AND b.match_key = f.match_key)";
  }

  private static Finding finding(ResultSet rs) throws SQLException {
    String pkgName = rs.getString(12);
    String pkgVersion = rs.getString(13);
    String pkgType = rs.getString(14);
    String purl = rs.getString(15);
    String fixState = rs.getString(16);
    List<String> fixedIn = strings(rs.getArray(17));
    List<String> locations = strings(rs.getArray(18));
    boolean affected =
        pkgName != null
            || pkgVersion != null
            || pkgType != null
            || purl != null
            || fixState != null
            || !fixedIn.isEmpty()
            || !locations.isEmpty();
    return new Finding(
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        Status.valueOf(rs.getString(7)),
        Severity.valueOf(rs.getString(8)),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11),
        affected
            ? new AffectedPackage(pkgName, pkgVersion, pkgType, purl, fixState, fixedIn, locations)
            : null);
  }

  private static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    try {
      return Arrays.asList((String[]) array.getArray());
    } finally {
      array.free();
    }
  }

  private static String key(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** Buffers rows in COPY's text format and sends them a batch at a time. */
  private final class CopyWriter implements Writer {

    private final String scanId;
    private final String artifact;
    private final CopyBuffer findings = new CopyBuffer(COPY_FINDINGS);
    private final CopyBuffer components = new CopyBuffer(COPY_COMPONENTS);

    CopyWriter(UUID scanId, String artifact) {
      this.scanId = scanId.toString();
      this.artifact = Objects.requireNonNull(artifact, "artifact");
    }

    @Override
    public void finding(Finding f) {
      Objects.requireNonNull(f.status(), "a finding has a status");
      AffectedPackage p = f.affected();
      findings
          .value(scanId)
          .value(artifact)
          .value(f.node())
          .value(f.role())
          .value(f.scope())
          .value(f.ruleId())
          .value(f.title())
          .value(f.status().name())
          .value(f.severity().name())
          .value(f.detail())
          .value(f.remediation())
          .value(f.reference())
          .value(p == null ? null : p.name())
          .value(p == null ? null : p.version())
          .value(p == null ? null : p.type())
          .value(p == null ? null : p.purl())
          .value(p == null ? null : p.fixState())
          .array(p == null ? null : p.fixedIn())
          .array(p == null ? null : p.locations())
          .endRow();
      findings.flushIfFull();
    }

    @Override
    public void component(Component c) {
      components
          .value(scanId)
          .value(artifact)
          .value(c.source())
          .value(c.name())
          .value(c.version())
          .value(c.type())
          .value(c.purl())
          .endRow();
      components.flushIfFull();
    }

    @Override
    public void close() {
      findings.flush();
      components.flush();
    }
  }

  /** One table's pending rows, in COPY's text format. */
  private final class CopyBuffer {

    private final String sql;
    private final StringBuilder rows = new StringBuilder(64 * 1024);
    private int count;
    private boolean first = true;

    CopyBuffer(String sql) {
      this.sql = sql;
    }

    CopyBuffer value(String v) {
      separate();
      if (v == null) {
        rows.append("\\N");
      } else {
        escape(v, rows);
      }
      return this;
    }

    /** A {@code text[]}: the array literal, each element quoted, then escaped for COPY. */
    CopyBuffer array(List<String> values) {
      if (values == null) {
        return value(null);
      }
      StringBuilder literal = new StringBuilder("{");
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          literal.append(',');
        }
        String v = values.get(i);
        if (v == null) {
          literal.append("NULL");
          continue;
        }
        literal.append('"');
        for (int j = 0; j < v.length(); j++) {
          char c = v.charAt(j);
          if (c == '"' || c == '\\') {
            literal.append('\\');
          }
          literal.append(c);
        }
        literal.append('"');
      }
      return value(literal.append('}').toString());
    }

    void endRow() {
      rows.append('\n');
      count++;
      first = true;
    }

    void flushIfFull() {
      if (count >= BATCH_ROWS || rows.length() >= BATCH_CHARS) {
        flush();
      }
    }

    void flush() {
      if (count == 0) {
        return;
      }
      String data = rows.toString();
      // The connection is the transaction's when there is one, so the rows commit with it.
      jdbc.execute(
          (ConnectionCallback<Long>)
              con -> {
                try {
                  return con.unwrap(PGConnection.class)
                      .getCopyAPI()
                      .copyIn(sql, new StringReader(data));
                } catch (java.io.IOException e) {
                  throw new SQLException("COPY failed: " + e.getMessage(), e);
                }
              });
      rows.setLength(0);
      count = 0;
    }

    private void separate() {
      if (!first) {
        rows.append('\t');
      }
      first = false;
    }
  }

  /**
   * Escapes a value for COPY's text format. NUL is dropped: PostgreSQL text cannot hold it, and a
   * tool's output with one is not worth failing a scan over.
   */
  static void escape(String v, StringBuilder out) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\0' -> {}
        default -> out.append(c);
      }
    }
  }
}
