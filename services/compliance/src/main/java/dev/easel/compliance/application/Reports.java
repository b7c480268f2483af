package dev.easel.compliance.application;

import dev.easel.compliance.application.port.ArtifactSource;
import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.application.port.ScanStore;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import dev.easel.compliance.domain.scan.ScanState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.springframework.stereotype.Component;

/** What operators read of scans: the list, one scan, its report, its SBOMs and comparisons. */
@Component
public class Reports {

  /** The scan has no report of that sort yet, or ever. */
  public static final class NoReport extends RuntimeException {
    public NoReport(String message) {
      super(message);
    }
  }

  /** A report's header, counts and one page of findings. */
  public record Report(
      Scan scan, String clusterName, Map<String, Long> summary, List<ReportStore.Row> findings) {}

  /** What changed between a scan and an earlier one. */
  public record Comparison(
      Scan scan,
      Scan baseline,
      long newCount,
      long fixedCount,
      List<Finding> newFindings,
      List<Finding> fixedFindings) {}

  private final ScanStore scans;
  private final ReportStore reports;
  private final ClusterReplica clusters;
  private final ArtifactSource artifacts;

  public Reports(
      ScanStore scans, ReportStore reports, ClusterReplica clusters, ArtifactSource artifacts) {
    this.scans = scans;
    this.reports = reports;
    this.clusters = clusters;
    this.artifacts = artifacts;
  }

  public Scan scan(UUID id) {
    return scans.find(id).orElseThrow(() -> new Scans.NotFound(id));
  }

  public List<Scan> ofCluster(UUID clusterId, ScanKind kind, int limit) {
    return scans.ofCluster(clusterId, kind, limit);
  }

  /** The report: counts over all findings, and the page the filter asks for. */
  public Report report(UUID id, ReportStore.Filter filter) {
    Scan s = scan(id);
    return new Report(
        s,
        clusterName(s),
        s.state() == ScanState.Completed ? s.summary() : reports.summary(id),
        reports.findings(id, filter));
  }

  public String clusterName(Scan s) {
    return clusters.find(s.clusterId()).map(t -> t.name()).orElse(s.clusterId().toString());
  }

  /**
   * New and fixed findings against a baseline: the given one, or the cluster's previous completed
   * scan of the same kind.
   */
  public Comparison compare(UUID id, UUID with, int limit) {
    Scan s = scan(id);
    Scan base =
        with != null
            ? scan(with)
            : scans
                .previousCompleted(s.clusterId(), s.kind(), s.createdAt())
                .orElseThrow(
                    () ->
                        new NoReport(
                            "no earlier completed "
                                + s.kind().wireName()
                                + " scan of this cluster to compare with"));
    if (base.kind() != s.kind() || !base.clusterId().equals(s.clusterId())) {
      throw new NoReport("scans compare only with scans of the same kind on the same cluster");
    }
    return new Comparison(
        s,
        base,
        reports.countNewSince(s.id(), base.id()),
        reports.countNewSince(base.id(), s.id()),
        reports.newSince(s.id(), base.id(), limit),
        reports.newSince(base.id(), s.id(), limit));
  }

  /** The images of an SBOM scan, each with the name of its SBOM file, in scan order. */
  public Map<String, String> sbomImages(UUID id) throws IOException {
    Map<String, String> images = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = sbomTar(id)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (name(e).equals("index.tsv")) {
          BufferedReader r = new BufferedReader(new InputStreamReader(tar, StandardCharsets.UTF_8));
          String line;
          while ((line = r.readLine()) != null) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
              images.put(line.substring(tab + 1), line.substring(0, tab));
            }
          }
          break;
        }
      }
    }
    return images;
  }

  /** Copies one image's SBOM, in the format the scan asked for, to {@code out}. */
  public void sbom(UUID id, String image, OutputStream out) throws IOException {
    String file = sbomImages(id).get(image);
    if (file == null) {
      throw new NoReport("scan " + id + " has no SBOM of image " + image);
    }
    try (TarArchiveInputStream tar = sbomTar(id)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (name(e).equals(file) && e.isFile()) {
          tar.transferTo(out);
          return;
        }
      }
    }
    throw new NoReport("scan " + id + " lost the SBOM of image " + image);
  }

  private TarArchiveInputStream sbomTar(UUID id) throws IOException {
    Scan s = scan(id);
    if (s.kind() != ScanKind.SBOM) {
      throw new NoReport("scan " + id + " is a " + s.kind().wireName() + " scan, not an SBOM scan");
    }
    Optional<ScanStore.ArtifactRow> tar =
        scans.artifacts(id).stream()
            .filter(a -> a.name().equals("sbom.tar") && a.location() != null)
            .findFirst();
    if (tar.isEmpty()) {
      throw new NoReport("scan " + id + " has no SBOM yet");
    }
    InputStream in = artifacts.open(tar.get().location(), tar.get().digest());
    return new TarArchiveInputStream(in);
  }

  private static String name(TarArchiveEntry e) {
    String n = e.getName();
    return n.startsWith("./") ? n.substring(2) : n;
  }
}
