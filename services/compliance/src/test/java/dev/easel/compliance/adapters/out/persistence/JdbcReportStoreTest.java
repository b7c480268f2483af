package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.application.port.ReportStore.Filter;
import dev.easel.compliance.application.port.ReportStore.Row;
import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Component;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A scan's report of 50,000 vulnerabilities written and read in the real PostgreSQL. */
class JdbcReportStoreTest {

  static final int N = 50_000;
  static final String GRYPE = "scan-plan/grype.tar";

  private static Migrated db;
  private static JdbcReportStore store;
  private static final UUID SCAN = UUID.randomUUID();
  private static final UUID BASELINE = UUID.randomUUID();
  private static Duration written;

  @BeforeAll
  static void writeALargeReport() {
    db = Migrated.database("compliance_reports");
    store = new JdbcReportStore(db.jdbc());
    long t0 = System.nanoTime();
    // As the ingest writes: in the transaction that holds the file's row.
    db.tx()
        .executeWithoutResult(
            s -> {
              try (ReportStore.Writer w = store.writer(SCAN, GRYPE)) {
                for (int i = 0; i < N; i++) {
                  w.finding(finding(i));
                }
                for (int i = 0; i < 1500; i++) {
                  w.component(
                      new Component(
                          "img-" + (i % 50), "pkg-" + i, "1.0." + i, "deb", "pkg:deb/x/pkg-" + i));
                }
              }
            });
    written = Duration.ofNanos(System.nanoTime() - t0);
    // The baseline found the same, except every thousandth failing finding from the 7th on.
    try (ReportStore.Writer w = store.writer(BASELINE, GRYPE)) {
      for (int i = 0; i < N; i++) {
        if (i % 1000 != 7) {
          w.finding(finding(i));
        }
      }
    }
  }

  /** Findings on five nodes: a tenth pass, a tenth warn, the rest fail with a severity. */
  static Finding finding(int i) {
    Status status = i % 10 == 0 ? Status.PASS : i % 10 == 1 ? Status.WARN : Status.FAIL;
    Severity severity = status == Status.FAIL ? Severity.values()[i % 6] : Severity.NONE;
    return new Finding(
        "node-" + (i % 5),
        i % 5 == 0 ? "control-plane" : "worker",
        "img-" + (i % 50),
        "CVE-2024-" + i,
        "a vulnerability",
        status,
        severity,
        "detail " + i,
        null,
        "https://nvd.nist.gov/vuln/detail/CVE-2024-" + i,
        new AffectedPackage(
            "pkg-" + (i % 100),
            "1.0." + i,
            "deb",
            "pkg:deb/x/pkg-" + (i % 100),
            "fixed",
            List.of("1.1." + i),
            List.of("/var/lib/dpkg/status")));
  }

  @Test
  void fiftyThousandFindingsAreWrittenWithinSeconds() {
    assertThat(written).isLessThan(Duration.ofSeconds(20));
    assertThat(
            db.jdbc()
                .queryForObject(
                    "SELECT count(*) FROM findings WHERE scan_id = ?", Long.class, SCAN))
        .isEqualTo((long) N);
  }

  @Test
  void findingsAreReadBackAsWritten() {
    List<Row> first = store.findings(SCAN, new Filter(null, null, null, null, 0, 3));
    assertThat(first).extracting(Row::finding).containsExactly(finding(0), finding(1), finding(2));
    assertThat(first.get(0).seq()).isLessThan(first.get(1).seq());
  }

  @Test
  void aFilteredReportIsPagedBySeqWithoutGapsOrRepeats() {
    Filter filter = new Filter("node-2", "worker", Status.FAIL, Severity.HIGH, 0, 500);
    Set<String> seen = new HashSet<>();
    long after = 0;
    int pages = 0;
    while (true) {
      List<Row> page =
          store.findings(
              SCAN,
              new Filter(
                  filter.node(), filter.role(), filter.status(), filter.severity(), after, 500));
      for (Row r : page) {
        assertThat(r.seq()).isGreaterThan(after);
        assertThat(r.finding().node()).isEqualTo("node-2");
        assertThat(r.finding().status()).isEqualTo(Status.FAIL);
        assertThat(r.finding().severity()).isEqualTo(Severity.HIGH);
        assertThat(seen.add(r.finding().ruleId())).isTrue();
      }
      pages++;
      if (page.size() < 500) {
        break;
      }
      after = page.get(page.size() - 1).seq();
    }
    long expected = 0;
    for (int i = 0; i < N; i++) {
      Finding f = finding(i);
      if (f.node().equals("node-2") && f.status() == Status.FAIL && f.severity() == Severity.HIGH) {
        expected++;
      }
    }
    assertThat(seen).hasSize((int) expected);
    assertThat(pages).isGreaterThan(1);

    List<Finding> streamed = new ArrayList<>();
    store.eachFinding(SCAN, filter, streamed::add);
    assertThat(streamed).hasSize((int) expected);
  }

  @Test
  void everyFindingIsStreamedInOrderForDownloads() {
    List<String> rules = new ArrayList<>(N);
    // One connection for every page, as a download's request holds one from the pool.
    db.tx()
        .executeWithoutResult(
            s ->
                store.eachFinding(
                    SCAN, new Filter(null, null, null, null, 0, 10), f -> rules.add(f.ruleId())));
    assertThat(rules).hasSize(N);
    for (int i = 0; i < N; i++) {
      if (!rules.get(i).equals("CVE-2024-" + i)) {
        throw new AssertionError("finding " + i + " is " + rules.get(i));
      }
    }
  }

  @Test
  void theSummaryCountsByStatusFailuresBySeverityAndComponents() {
    Map<String, Long> expected = new HashMap<>();
    for (String k :
        List.of(
            "pass",
            "fail",
            "warn",
            "info",
            "skipped",
            "critical",
            "high",
            "medium",
            "low",
            "negligible",
            "unknown")) {
      expected.put(k, 0L);
    }
    for (int i = 0; i < N; i++) {
      Finding f = finding(i);
      expected.merge(f.status().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      if (f.status() == Status.FAIL) {
        expected.merge(f.severity().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      }
    }
    expected.put("components", 1500L);

    assertThat(store.summary(SCAN)).isEqualTo(expected);
    assertThat(store.summary(SCAN)).containsEntry("pass", 5000L).containsEntry("fail", 40_000L);
  }

  @Test
  void newFindingsAreTheFailingOnesTheBaselineDidNotHave() {
    long t0 = System.nanoTime();
    List<Finding> fresh = store.newSince(SCAN, BASELINE, 1000);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(fresh)
        .extracting(Finding::ruleId)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, N)
                .filter(i -> i % 1000 == 7)
                .mapToObj(i -> "CVE-2024-" + i)
                .toList());
    assertThat(store.countNewSince(SCAN, BASELINE)).isEqualTo(50);
    assertThat(store.newSince(SCAN, BASELINE, 10)).hasSize(10);
    assertThat(store.countNewSince(SCAN, SCAN)).isZero();
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aFindingPassingInTheBaselineIsNewWhenItFailsNow() {
    UUID before = UUID.randomUUID();
    UUID after = UUID.randomUUID();
    Finding failing = finding(2);
    try (ReportStore.Writer w = store.writer(before, GRYPE)) {
      w.finding(
          new Finding(
              failing.node(),
              failing.role(),
              failing.scope(),
              failing.ruleId(),
              failing.title(),
              Status.PASS,
              Severity.NONE,
              null,
              null,
              null,
              failing.affected()));
    }
    try (ReportStore.Writer w = store.writer(after, GRYPE)) {
      w.finding(failing);
    }
    assertThat(store.newSince(after, before, 10)).containsExactly(failing);
  }

  @Test
  void readingAFileAgainReplacesItsRowsAndKeepsOtherFiles() {
    UUID scan = UUID.randomUUID();
    try (ReportStore.Writer w = store.writer(scan, "plan/a.json")) {
      w.finding(finding(1));
      w.finding(finding(2));
      w.component(new Component("img", "a", "1", "deb", null));
    }
    try (ReportStore.Writer w = store.writer(scan, "plan/b.json")) {
      w.finding(finding(3));
    }
    try (ReportStore.Writer w = store.writer(scan, "plan/a.json")) {
      w.finding(finding(4));
    }
    assertThat(store.findings(scan, new Filter(null, null, null, null, 0, 100)))
        .extracting(r -> r.finding().ruleId())
        .containsExactly("CVE-2024-3", "CVE-2024-4");
    assertThat(store.summary(scan)).containsEntry("components", 0L);

    store.writer(scan, "plan/b.json").close();
    assertThat(store.findings(scan, new Filter(null, null, null, null, 0, 100)))
        .extracting(r -> r.finding().ruleId())
        .containsExactly("CVE-2024-4");
  }

  @Test
  void textThatMeansSomethingToCopyIsStoredVerbatim() {
    UUID scan = UUID.randomUUID();
    String awkward = "tab\there\nnew line\r\\N back\\slash \\. \"quoted\" {braces}, comma";
    Finding f =
        new Finding(
            null,
            null,
            "e2e",
            "[sig-network] Services should \"serve\" \\N",
            awkward,
            Status.FAIL,
            null,
            awkward,
            "",
            null,
            new AffectedPackage(
                null,
                null,
                null,
                null,
                null,
                List.of("1.0 \"rc\"", "back\\slash", "a,b", "{x}", "NULL", ""),
                List.of()));
    try (ReportStore.Writer w = store.writer(scan, "x")) {
      w.finding(f);
      w.finding(
          new Finding(
              "n", "worker", "s", "nul\0char", "t", Status.INFO, null, null, null, null, null));
    }
    List<Row> rows = store.findings(scan, new Filter(null, null, null, null, 0, 10));
    assertThat(rows.get(0).finding()).isEqualTo(f);
    assertThat(rows.get(0).finding().severity()).isEqualTo(Severity.NONE);
    assertThat(rows.get(1).finding().ruleId()).isEqualTo("nulchar");
    assertThat(rows.get(1).finding().affected()).isNull();
  }
}
