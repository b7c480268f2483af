package dev.easel.compliance.application;

import dev.easel.compliance.application.port.ArtifactSource;
import dev.easel.compliance.application.port.ReportReaders;
import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.application.port.ScanStore;
import dev.easel.compliance.application.port.ScanStore.ArtifactRow;
import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the files scans' plans leave into their reports. Files are noted as they arrive (from
 * node-discovery's events, in the inbox's transaction) and read here, one at a time per instance,
 * each in a transaction of its own that holds the file's row: a large SBOM never holds up the event
 * stream, and two instances never read the same file. The scan's own row is locked only once the
 * file is read, to complete or fail it, so answers about the scan never wait for a parse. A file
 * that cannot be read fails its scan with the reason, and never the service.
 */
@Component
public class ReportIngest {

  private static final Logger log = LoggerFactory.getLogger(ReportIngest.class);

  private final ScanStore scans;
  private final ReportStore reports;
  private final ReportReaders readers;
  private final ArtifactSource artifacts;
  private final Scans scanning;
  private final TransactionTemplate tx;

  public ReportIngest(
      ScanStore scans,
      ReportStore reports,
      ReportReaders readers,
      ArtifactSource artifacts,
      Scans scanning,
      TransactionTemplate tx) {
    this.scans = scans;
    this.reports = reports;
    this.readers = readers;
    this.artifacts = artifacts;
    this.scanning = scanning;
    this.tx = tx;
  }

  /** A file arrived: note it if a scan expects it. Runs in the inbox's transaction. */
  public boolean stored(PlanStepArtifactStored e) {
    if (!Scans.owns(e.planId())) {
      return false;
    }
    return scans
        .artifactStored(
            e.planId(), e.stepId(), e.name(), e.digest(), e.size(), e.mediaType(), e.location())
        .isPresent();
  }

  /** Reads every file waiting. Returns how many were read (or refused). */
  public int drain() {
    int n = 0;
    while (Boolean.TRUE.equals(tx.execute(s -> readNext()))) {
      n++;
    }
    return n;
  }

  private boolean readNext() {
    Optional<ArtifactRow> next = scans.nextToRead();
    if (next.isEmpty()) {
      return false;
    }
    ArtifactRow a = next.get();
    scans.artifactRead(a.scanId(), a.planId(), a.name());
    Scan before = scans.find(a.scanId()).orElseThrow();
    if (before.state().finished()) {
      return true;
    }
    String file = a.planId() + "/" + a.name();
    String problem = null;
    ReportReaders.Context ctx =
        new ReportReaders.Context(
            a.hostname(), roleOf(a.role()), a.scope(), before.options().get("format"));
    try (InputStream in = artifacts.open(a.location(), a.digest());
        ReportStore.Writer w = reports.writer(a.scanId(), file)) {
      readers.read(a.reader(), in, ctx, w);
    } catch (ReportRejected e) {
      problem = e.getMessage();
    } catch (IOException e) {
      problem = "it could not be read from " + a.location() + ": " + e.getMessage();
    } catch (RuntimeException e) {
      log.warn("reading {} of scan {} failed", a.name(), a.scanId(), e);
      problem = "it could not be read: " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    // Locked only now: answers about the scan were not kept waiting while the file was read.
    Scan scan = scans.lock(a.scanId()).orElseThrow();
    if (problem != null) {
      // What was read before the problem is not a report.
      reports.writer(a.scanId(), file).close();
    }
    if (scan.state().finished()) {
      return true; // cancelled or failed meanwhile
    }
    if (problem != null) {
      scanning.fail(scan, a.name() + " from " + a.hostname() + " was refused: " + problem);
    } else {
      scanning.completeIfDone(scan);
    }
    return true;
  }

  private static String roleOf(String role) {
    return "init".equals(role) || "controlplane".equals(role) ? "control-plane" : "worker";
  }
}
