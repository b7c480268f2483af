package dev.easel.compliance.adapters.out.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.compliance.application.port.ScanStore.ArtifactRow;
import dev.easel.compliance.application.port.ScanStore.PartRow;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanPlans;
import dev.easel.compliance.domain.scan.ScanState;
import dev.easel.compliance.domain.scan.ScanTarget;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scans, their parts and their files in the real PostgreSQL. */
class JdbcScanStoreTest {

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static Migrated db;
  private static JdbcScanStore store;

  @BeforeAll
  static void migrate() {
    db = Migrated.database("compliance_scans");
    store = new JdbcScanStore(db.jdbc(), Migrated.JSON);
  }

  private static Scan scan(UUID cluster, ScanKind kind, Instant at) {
    return Scan.initiated(
        UUID.randomUUID(),
        cluster,
        kind,
        "on-demand",
        Map.of("format", "spdx-json"),
        2,
        "alice",
        at);
  }

  @BeforeEach
  void noFileIsWaiting() {
    db.jdbc().update("UPDATE scan_artifacts SET read = true");
  }

  @Test
  void aScanIsReadBackLockedAndUpdatedWithItsOptionsAndSummary() {
    Scan s = scan(UUID.randomUUID(), ScanKind.SBOM, T0);
    store.insert(s);
    assertThat(store.find(s.id())).contains(s);

    Scan done =
        db.tx()
            .execute(
                st -> {
                  Scan locked = store.lock(s.id()).orElseThrow();
                  Scan next =
                      locked
                          .started()
                          .progressed(2, 2, 0)
                          .completed(Map.of("fail", 3L, "critical", 1L), T0.plusSeconds(60));
                  store.update(next);
                  return next;
                });

    Scan read = store.find(s.id()).orElseThrow();
    assertThat(read).isEqualTo(done);
    assertThat(read.state()).isEqualTo(ScanState.Completed);
    assertThat(read.summary()).containsEntry("fail", 3L).containsEntry("critical", 1L);
    assertThat(read.options()).containsEntry("format", "spdx-json");
    assertThat(read.finishedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(store.find(UUID.randomUUID())).isEmpty();
  }

  @Test
  void aLockedScanHoldsOffASecondLockerUntilTheFirstCommits() throws Exception {
    Scan s = scan(UUID.randomUUID(), ScanKind.CONFIGURATION, T0);
    store.insert(s);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                db.tx()
                    .executeWithoutResult(
                        st -> {
                          store.lock(s.id()).orElseThrow();
                          store.update(s.started());
                          locked.countDown();
                          await(release);
                        }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ScanState> second =
        CompletableFuture.supplyAsync(
            () -> db.tx().execute(st -> store.lock(s.id()).orElseThrow().state()));
    Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !second.isDone());
    release.countDown();
    // The second locker sees the first one's change: it waited for the commit.
    first.get(10, TimeUnit.SECONDS);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(ScanState.InProgress);
  }

  @Test
  void aClustersScansAreListedNewestFirstAndByKind() {
    UUID cluster = UUID.randomUUID();
    Scan old = scan(cluster, ScanKind.CONFIGURATION, T0);
    Scan sbom = scan(cluster, ScanKind.SBOM, T0.plusSeconds(10));
    Scan latest = scan(cluster, ScanKind.CONFIGURATION, T0.plusSeconds(20));
    store.insert(old);
    store.insert(sbom);
    store.insert(latest);
    store.insert(scan(UUID.randomUUID(), ScanKind.CONFIGURATION, T0));

    assertThat(store.ofCluster(cluster, null, 10))
        .extracting(Scan::id)
        .containsExactly(latest.id(), sbom.id(), old.id());
    assertThat(store.ofCluster(cluster, ScanKind.CONFIGURATION, 10))
        .extracting(Scan::id)
        .containsExactly(latest.id(), old.id());
    assertThat(store.ofCluster(cluster, null, 1)).extracting(Scan::id).containsExactly(latest.id());
  }

  @Test
  void thePreviousCompletedScanIsTheLatestCompletedOneOfItsKindBefore() {
    UUID cluster = UUID.randomUUID();
    Scan first = scan(cluster, ScanKind.CONFIGURATION, T0);
    Scan second = scan(cluster, ScanKind.CONFIGURATION, T0.plus(1, ChronoUnit.DAYS));
    Scan failed = scan(cluster, ScanKind.CONFIGURATION, T0.plus(2, ChronoUnit.DAYS));
    Scan now = scan(cluster, ScanKind.CONFIGURATION, T0.plus(3, ChronoUnit.DAYS));
    for (Scan s : List.of(first, second, failed, now)) {
      store.insert(s);
    }
    store.update(first.completed(Map.of(), T0.plusSeconds(5)));
    store.update(second.completed(Map.of(), T0.plusSeconds(5)));
    store.update(failed.failedBecause("node gone", T0.plusSeconds(5)));

    assertThat(store.previousCompleted(cluster, ScanKind.CONFIGURATION, now.createdAt()))
        .map(Scan::id)
        .contains(second.id());
    assertThat(store.previousCompleted(cluster, ScanKind.CONFIGURATION, second.createdAt()))
        .map(Scan::id)
        .contains(first.id());
    assertThat(store.previousCompleted(cluster, ScanKind.SBOM, now.createdAt())).isEmpty();
  }

  @Test
  void scansAreFoundByState() {
    Scan running = scan(UUID.randomUUID(), ScanKind.PENETRATION, T0.minusSeconds(3600));
    Scan cancelled = scan(UUID.randomUUID(), ScanKind.PENETRATION, T0.minusSeconds(3600));
    store.insert(running);
    store.insert(cancelled);
    store.update(running.started());
    store.update(cancelled.cancelled("bob", T0));

    assertThat(store.inStates(List.of(ScanState.InProgress), 500))
        .extracting(Scan::id)
        .contains(running.id())
        .doesNotContain(cancelled.id());
    assertThat(store.inStates(List.of(ScanState.Cancelled), 500))
        .extracting(Scan::id)
        .contains(cancelled.id());
    assertThat(store.inStates(List.of(), 500)).isEmpty();
  }

  @Test
  void aPartsFilesGoFromExpectedToStoredToReadAndUndeclaredOnesAreIgnored() {
    Scan s = scan(UUID.randomUUID(), ScanKind.SBOM, T0);
    store.insert(s);
    ScanTarget.Node node = new ScanTarget.Node(UUID.randomUUID(), "cp-1", "init");
    ScanPlans.Part part =
        ScanPlans.start(
                s.id(),
                ScanKind.SBOM,
                Map.of("format", "spdx-json", "scope", "cluster"),
                new ScanTarget(s.clusterId(), "c", "1.32.3", List.of(node)))
            .get(0);
    store.addPart(part, s.id());
    store.addPart(part, s.id()); // a retried start adds nothing twice

    assertThat(store.part(part.planId()))
        .contains(
            new PartRow(
                s.id(), part.planId(), node.nodeId(), "cp-1", "init", PartRow.QUEUED, null));
    List<ArtifactRow> expected = store.artifacts(s.id());
    assertThat(expected).extracting(ArtifactRow::name).containsExactly("grype.tar", "sbom.tar");
    assertThat(expected).allSatisfy(a -> assertThat(a.digest()).isNull());
    assertThat(expected.get(0).reader()).isEqualTo(ScanPlans.Reader.GRYPE_TAR);
    assertThat(waiting()).isEmpty();

    assertThat(
            store.artifactStored(
                part.planId(), "sbom", "other.tar", "sha256:0", 1, "x", "blob://0"))
        .isEmpty();
    assertThat(store.artifactStored("plan-x", "sbom", "sbom.tar", "sha256:0", 1, "x", "blob://0"))
        .isEmpty();

    ArtifactRow stored =
        store
            .artifactStored(
                part.planId(),
                "sbom",
                "sbom.tar",
                "sha256:aa",
                42,
                "application/x-tar",
                "blob://aa")
            .orElseThrow();
    assertThat(stored.digest()).isEqualTo("sha256:aa");
    assertThat(stored.size()).isEqualTo(42L);
    assertThat(stored.hostname()).isEqualTo("cp-1");
    assertThat(stored.read()).isFalse();

    Optional<ArtifactRow> next =
        db.tx()
            .execute(
                st -> {
                  Optional<ArtifactRow> n = store.nextToRead();
                  n.ifPresent(a -> store.artifactRead(a.scanId(), a.planId(), a.name()));
                  return n;
                });
    assertThat(next).map(ArtifactRow::name).contains("sbom.tar");
    assertThat(waiting()).isEmpty();

    // The same event again keeps the mark; different content is read again.
    assertThat(
            store
                .artifactStored(
                    part.planId(), "sbom", "sbom.tar", "sha256:aa", 42, "x", "blob://aa")
                .orElseThrow()
                .read())
        .isTrue();
    assertThat(
            store
                .artifactStored(
                    part.planId(), "sbom", "sbom.tar", "sha256:bb", 43, "x", "blob://bb")
                .orElseThrow()
                .read())
        .isFalse();

    store.partFinished(part.planId(), PartRow.DONE, null);
    assertThat(store.parts(s.id())).extracting(PartRow::state).containsExactly(PartRow.DONE);
  }

  @Test
  void aFileBeingReadIsSkippedByAnotherReader() throws Exception {
    Scan s = scan(UUID.randomUUID(), ScanKind.CONFIGURATION, T0);
    store.insert(s);
    List<ScanTarget.Node> nodes =
        List.of(
            new ScanTarget.Node(UUID.randomUUID(), "cp-1", "init"),
            new ScanTarget.Node(UUID.randomUUID(), "w-1", "worker"));
    List<ScanPlans.Part> parts =
        ScanPlans.start(
            s.id(),
            ScanKind.CONFIGURATION,
            Map.of(),
            new ScanTarget(s.clusterId(), "c", null, nodes));
    for (ScanPlans.Part p : parts) {
      store.addPart(p, s.id());
      store.artifactStored(p.planId(), "kube-bench", "kube-bench.json", "d", 1, "j", "l");
    }

    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () ->
                db.tx()
                    .execute(
                        st -> {
                          ArtifactRow a = store.nextToRead().orElseThrow();
                          holding.countDown();
                          await(release);
                          return a.planId();
                        }));
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    String second = db.tx().execute(st -> store.nextToRead().orElseThrow().planId());
    release.countDown();
    assertThat(second).isNotEqualTo(first.get(10, TimeUnit.SECONDS));
  }

  /** The next file to read, as a reader's transaction sees it. */
  private static Optional<ArtifactRow> waiting() {
    Optional<ArtifactRow> next = db.tx().execute(st -> store.nextToRead());
    return next;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
