package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ReportReaders;
import dev.easel.compliance.application.port.ScanStore;
import dev.easel.compliance.application.port.ScanStore.PartRow;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanPlans;
import dev.easel.compliance.domain.scan.ScanState;
import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.contracts.compliance.ScanProgressed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A conformance run, which may take hours: Sonobuoy is started, its status read every {@code
 * easel.compliance.conformance.poll-interval} with a short plan of its own, each read published as
 * progress (tests completed of total, and failed), and once Sonobuoy says it is complete its
 * results tarball is fetched and Sonobuoy removed.
 */
@Component
public class ConformanceSteps {

  private final ScanStore scans;
  private final ClusterReplica clusters;
  private final ReportReaders readers;
  private final Scans scanning;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration interval;
  private final Map<UUID, Instant> lastRead = new ConcurrentHashMap<>();

  public ConformanceSteps(
      ScanStore scans,
      ClusterReplica clusters,
      ReportReaders readers,
      Scans scanning,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      @org.springframework.beans.factory.annotation.Value(
              "${easel.compliance.conformance.poll-interval:30s}")
          Duration interval) {
    this.scans = scans;
    this.clusters = clusters;
    this.readers = readers;
    this.scanning = scanning;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
    this.interval = interval;
  }

  /** One of a conformance scan's plans finished. Called with the scan locked. */
  void planFinished(Scan scan, PartRow part, Map<String, String> outputs, Instant now) {
    String plan = part.planId();
    if (plan.endsWith("-run")) {
      scans.update(scan.started());
      lastRead.put(scan.id(), now);
    } else if (plan.contains("-status-")) {
      lastRead.put(scan.id(), now);
      String json = outputs == null ? null : outputs.get("sonobuoy-status");
      ReportReaders.Progress p;
      try {
        if (json == null || json.isBlank()) {
          throw new ReportRejected("sonobuoy status printed nothing");
        }
        p = readers.status(json);
      } catch (ReportRejected e) {
        scanning.fail(scan, "Sonobuoy's status could not be read: " + e.getMessage());
        return;
      }
      if ("failed".equals(p.status())) {
        scanning.fail(scan, "Sonobuoy's run failed");
        return;
      }
      Scan moved = scan.progressed(p.completed(), p.total(), p.failedTests().size());
      if (p.finished()) {
        moved = moved.inPhase(Scan.RETRIEVING);
        scans.update(moved);
        ScanTarget.Node init = new ScanTarget.Node(part.nodeId(), part.hostname(), part.role());
        scanning.sendMore(moved, ScanPlans.conformanceResults(scan.id(), init));
        lastRead.remove(scan.id());
      } else {
        scans.update(moved);
      }
      outbox.publishEvent(
          scan.id().toString(),
          new ScanProgressed(
              scan.id(),
              scan.clusterId(),
              ScanKind.CONFORMANCE.wireName(),
              p.completed(),
              p.total(),
              p.failedTests().size(),
              "sonobuoy " + p.status(),
              now));
    }
  }

  /**
   * Sends a status read for each running conformance scan whose last read is older than the
   * interval and that has no plan in flight.
   *
   * @return how many reads were sent
   */
  public int poll() {
    int sent = 0;
    Instant now = clock.instant();
    List<Scan> running = scans.inStates(List.of(ScanState.InProgress), ScanKind.CONFORMANCE, 1000);
    if (running.size() < 1000) {
      // Scans that ended (cancelled, failed, or retrieved) need no next read.
      Set<UUID> live = new HashSet<>();
      running.forEach(r -> live.add(r.id()));
      lastRead.keySet().retainAll(live);
    }
    for (Scan s : running) {
      if (!Scan.RUNNING.equals(s.phase())) {
        continue;
      }
      Instant last = lastRead.get(s.id());
      if (last != null && last.plus(interval).isAfter(now)) {
        continue;
      }
      Boolean done =
          tx.execute(
              t -> {
                Optional<Scan> locked = scans.lock(s.id());
                if (locked.isEmpty()
                    || locked.get().state() != ScanState.InProgress
                    || !Scan.RUNNING.equals(locked.get().phase())) {
                  return false;
                }
                List<PartRow> parts = scans.parts(s.id());
                int reads = 0;
                for (PartRow p : parts) {
                  if (PartRow.QUEUED.equals(p.state())) {
                    return false; // one plan at a time
                  }
                  if (p.planId().contains("-status-")) {
                    reads++;
                  }
                }
                Optional<ScanTarget> target = clusters.find(s.clusterId());
                if (target.isEmpty()) {
                  scanning.fail(locked.get(), "the cluster is gone");
                  return false;
                }
                scanning.sendMore(
                    locked.get(),
                    ScanPlans.conformanceStatus(s.id(), target.get().init(), reads + 1));
                return true;
              });
      if (Boolean.TRUE.equals(done)) {
        lastRead.put(s.id(), now);
        sent++;
      }
    }
    return sent;
  }
}
