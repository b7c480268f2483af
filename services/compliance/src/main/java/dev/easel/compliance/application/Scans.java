package dev.easel.compliance.application;

import dev.easel.common.outbox.Outbox;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.FeatureStore;
import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.application.port.ScanStarter;
import dev.easel.compliance.application.port.ScanStore;
import dev.easel.compliance.application.port.ScanStore.PartRow;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanOptions;
import dev.easel.compliance.domain.scan.ScanPlans;
import dev.easel.compliance.domain.scan.ScanState;
import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.contracts.compliance.ScanCancelled;
import dev.easel.contracts.compliance.ScanCompleted;
import dev.easel.contracts.compliance.ScanFailed;
import dev.easel.contracts.compliance.ScanInitiated;
import dev.easel.contracts.compliance.ScanProgressed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts and cancels scans, and follows their plans: each node's plan is sent through the outbox
 * when the scan starts, answered when it finishes, and its files are read by {@link ReportIngest}.
 * A scan completes when every plan is done and every file read; it fails at the first plan that
 * fails or file that cannot be read. Every change locks the scan's row, so two instances never move
 * one scan at once.
 */
@Component
public class Scans implements ScanStarter {

  private static final Logger log = LoggerFactory.getLogger(Scans.class);

  /** A scan's options are wrong; nothing was started. */
  public static final class Invalid extends RuntimeException {
    private final List<ScanOptions.Problem> problems;

    public Invalid(List<ScanOptions.Problem> problems) {
      super(problems.size() + " problem(s) with the scan; nothing was started");
      this.problems = List.copyOf(problems);
    }

    public List<ScanOptions.Problem> problems() {
      return problems;
    }
  }

  /** The scan cannot start now: its feature is not enabled, or one of its kind is running. */
  public static final class Refused extends RuntimeException {
    private final String code;

    public Refused(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** No such scan. */
  public static final class NotFound extends RuntimeException {
    public NotFound(UUID id) {
      super("no scan " + id);
    }
  }

  private final ClusterReplica clusters;
  private final FeatureStore features;
  private final ScanStore scans;
  private final ReportStore reports;
  private final NodeCommands nodes;
  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Scans(
      ClusterReplica clusters,
      FeatureStore features,
      ScanStore scans,
      ReportStore reports,
      NodeCommands nodes,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock) {
    this.clusters = clusters;
    this.features = features;
    this.scans = scans;
    this.reports = reports;
    this.nodes = nodes;
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Starts a scan: checks it, stores it with its plans, and sends them, in one transaction.
   *
   * @throws Features.ClusterNotFound when the cluster is not running
   * @throws Invalid when the options are wrong
   * @throws Refused when its feature is not enabled, or a scan of its kind is running
   */
  @Override
  public Scan start(
      UUID clusterId, ScanKind kind, Map<String, String> options, String trigger, String actor) {
    List<ScanOptions.Problem> problems = new ArrayList<>();
    Map<String, String> normalized = ScanOptions.normalize(kind, options, problems);
    if (!problems.isEmpty()) {
      throw new Invalid(problems);
    }
    return tx.execute(
        s -> {
          ScanTarget target =
              clusters.find(clusterId).orElseThrow(() -> new Features.ClusterNotFound(clusterId));
          boolean enabled =
              features
                  .find(clusterId, kind.feature())
                  .filter(e -> FeatureStore.Enablement.ENABLED.equals(e.state()))
                  .isPresent();
          if (!enabled) {
            throw new Refused(
                "feature-not-enabled",
                kind.feature().wireName()
                    + " is not enabled on cluster "
                    + clusterId
                    + ": enable it first (PUT /api/v1/clusters/"
                    + clusterId
                    + "/compliance/features/"
                    + kind.feature().wireName()
                    + ")");
          }
          for (Scan running : scans.ofCluster(clusterId, kind, 5)) {
            if (!running.state().finished()) {
              throw new Refused(
                  "scan-running",
                  "a " + kind.wireName() + " scan is running on the cluster: " + running.id());
            }
          }
          UUID id = UUID.randomUUID();
          List<ScanPlans.Part> parts = ScanPlans.start(id, kind, normalized, target);
          long total = kind == ScanKind.CONFORMANCE ? 0 : parts.size();
          Instant now = clock.instant();
          Scan scan = Scan.initiated(id, clusterId, kind, trigger, normalized, total, actor, now);
          scans.insert(scan);
          List<UUID> nodeIds = new ArrayList<>();
          for (ScanPlans.Part p : parts) {
            send(scan, p);
            nodeIds.add(p.node().nodeId());
          }
          outbox.publishEvent(
              id.toString(),
              new ScanInitiated(id, clusterId, kind.wireName(), trigger, normalized, nodeIds, now));
          return scan;
        });
  }

  private void send(Scan scan, ScanPlans.Part p) {
    scans.addPart(p, scan.id());
    nodes.run(
        p.node().nodeId(),
        p.planId(),
        "compliance: " + scan.kind().wireName() + " scan " + scan.id(),
        p.steps());
  }

  /** Whether a plan is one of a scan's. */
  public static boolean owns(String planId) {
    return planId != null && planId.startsWith("scan-");
  }

  /** A step of a scan's plan ran: the scan is in progress. Runs in the inbox's transaction. */
  public void stepRan(String planId) {
    // Looked at unlocked first: after a scan's first step this changes nothing, and a consumer's
    // batch must not hold the locks of every scan it touched (replies lock them too).
    scans
        .part(planId)
        .filter(
            p -> scans.find(p.scanId()).filter(s -> s.state() == ScanState.Initiated).isPresent())
        .flatMap(p -> scans.lock(p.scanId()))
        .filter(s -> s.state() == ScanState.Initiated)
        .ifPresent(s -> scans.update(s.started()));
  }

  /**
   * A scan's plan finished. Runs in the inbox's transaction.
   *
   * @param outputs each step's captured output: a conformance status plan's is Sonobuoy's status
   */
  public void planFinished(
      String planId, Map<String, String> outputs, ConformanceSteps conformance) {
    Optional<PartRow> part = queued(planId);
    if (part.isEmpty()) {
      return;
    }
    Scan scan = scans.find(part.get().scanId()).orElseThrow();
    scans.partFinished(planId, PartRow.DONE, null);
    if (scan.state().finished()) {
      return;
    }
    Instant now = clock.instant();
    if (scan.kind() == ScanKind.CONFORMANCE) {
      conformance.planFinished(scan, part.get(), outputs, now);
      if (planId.endsWith("-results")) {
        completeIfDone(scans.find(scan.id()).orElseThrow());
      }
      return;
    }
    long done = 0;
    for (PartRow p : scans.parts(scan.id())) {
      if (PartRow.DONE.equals(p.state())) {
        done++;
      }
    }
    Scan moved = scan.progressed(done, scan.total(), scan.failed());
    scans.update(moved);
    outbox.publishEvent(
        scan.id().toString(),
        new ScanProgressed(
            scan.id(),
            scan.clusterId(),
            scan.kind().wireName(),
            done,
            scan.total(),
            0,
            part.get().hostname() + " finished",
            now));
    completeIfDone(moved);
  }

  /**
   * Completes a scan whose plans are all done and whose files are all read, with its report's
   * counts. Call with it locked.
   */
  void completeIfDone(Scan scan) {
    if (scan.state().finished()
        || (scan.kind() == ScanKind.CONFORMANCE && !Scan.RETRIEVING.equals(scan.phase()))) {
      return;
    }
    for (PartRow p : scans.parts(scan.id())) {
      if (PartRow.QUEUED.equals(p.state())) {
        return;
      }
    }
    for (ScanStore.ArtifactRow a : scans.artifacts(scan.id())) {
      if (a.digest() == null || !a.read()) {
        return;
      }
    }
    Instant now = clock.instant();
    Map<String, Long> summary = reports.summary(scan.id());
    scans.update(scan.completed(summary, now));
    outbox.publishEvent(
        scan.id().toString(),
        new ScanCompleted(scan.id(), scan.clusterId(), scan.kind().wireName(), summary, now));
  }

  /** A scan's plan failed or was refused: the scan fails. Runs in the inbox's transaction. */
  public void planFailed(String planId, String reason) {
    Optional<PartRow> part = queued(planId);
    if (part.isEmpty()) {
      return;
    }
    Scan scan = scans.find(part.get().scanId()).orElseThrow();
    scans.partFinished(planId, PartRow.FAILED, reason);
    if (!scan.state().finished()) {
      fail(scan, "on " + part.get().hostname() + ": " + reason);
    }
  }

  /**
   * The plan's part while it is still queued, with its scan locked; empty for a plan no scan sent,
   * or one already answered (an answer read twice changes nothing).
   */
  private Optional<PartRow> queued(String planId) {
    Optional<PartRow> part = scans.part(planId);
    if (part.isEmpty()) {
      return part;
    }
    scans.lock(part.get().scanId());
    // Read again under the lock: another answer for the plan may have been handled meanwhile.
    return scans.part(planId).filter(p -> PartRow.QUEUED.equals(p.state()));
  }

  /** Fails a running scan, and cancels its plans that are still queued. Call with it locked. */
  void fail(Scan scan, String reason) {
    Instant now = clock.instant();
    scans.update(scan.failedBecause(reason, now));
    cancelQueued(scan, "the scan failed");
    log.info("{} scan {} failed: {}", scan.kind().wireName(), scan.id(), reason);
    outbox.publishEvent(
        scan.id().toString(),
        new ScanFailed(scan.id(), scan.clusterId(), scan.kind().wireName(), reason, now));
  }

  private void cancelQueued(Scan scan, String why) {
    for (PartRow p : scans.parts(scan.id())) {
      if (PartRow.QUEUED.equals(p.state())) {
        scans.partFinished(p.planId(), PartRow.CANCELLED, why);
        nodes.cancel(p.nodeId(), p.planId(), why);
      }
    }
  }

  /**
   * Cancels a running scan: its queued plans are cancelled on their nodes, and a conformance run is
   * removed from the cluster.
   *
   * @throws NotFound when there is no such scan
   * @throws Scan.StateException when it has finished
   */
  public Scan cancel(UUID scanId, String actor) {
    return tx.execute(
        s -> {
          Scan scan = scans.lock(scanId).orElseThrow(() -> new NotFound(scanId));
          Instant now = clock.instant();
          Scan cancelled = scan.cancelled(actor == null ? "an operator" : actor, now);
          scans.update(cancelled);
          cancelQueued(scan, "the scan was cancelled");
          if (scan.kind() == ScanKind.CONFORMANCE) {
            clusters
                .find(scan.clusterId())
                .ifPresent(
                    t -> {
                      ScanPlans.Part abort = ScanPlans.conformanceAbort(scanId, t.init());
                      scans.addPart(abort, scanId);
                      nodes.run(
                          abort.node().nodeId(),
                          abort.planId(),
                          "compliance: remove Sonobuoy after scan " + scanId,
                          abort.steps());
                    });
          }
          outbox.publishEvent(
              scanId.toString(),
              new ScanCancelled(scanId, scan.clusterId(), scan.kind().wireName(), actor, now));
          return cancelled;
        });
  }

  /** Sends a further plan of a running scan (a conformance status read or its results). */
  void sendMore(Scan scan, ScanPlans.Part part) {
    send(scan, part);
  }

  /**
   * Fails the scans that ran longer than their kind may. Each is failed in its own transaction.
   *
   * @return how many were failed
   */
  public int failOverdue(Map<ScanKind, java.time.Duration> limits) {
    Instant now = clock.instant();
    int n = 0;
    for (Scan s : scans.inStates(List.of(ScanState.Initiated, ScanState.InProgress), 500)) {
      java.time.Duration limit = limits.get(s.kind());
      if (limit != null && s.createdAt().plus(limit).isBefore(now)) {
        Boolean failed =
            tx.execute(
                t -> {
                  Scan locked = scans.lock(s.id()).orElseThrow();
                  if (locked.state().finished()) {
                    return false;
                  }
                  fail(locked, "it ran longer than " + limit.toMinutes() + " minutes");
                  return true;
                });
        if (Boolean.TRUE.equals(failed)) {
          n++;
        }
      }
    }
    return n;
  }
}
