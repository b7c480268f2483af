package dev.easel.compliance.adapters.in.web;

import dev.easel.common.envelope.Requester;
import dev.easel.compliance.application.Features;
import dev.easel.compliance.application.ReportDownloads;
import dev.easel.compliance.application.Reports;
import dev.easel.compliance.application.Scans;
import dev.easel.compliance.application.port.FeatureStore;
import dev.easel.compliance.application.port.ReportStore;
import dev.easel.compliance.domain.feature.Feature;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.report.Status;
import dev.easel.compliance.domain.scan.Scan;
import dev.easel.compliance.domain.scan.ScanKind;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Features per cluster, scans, and their reports. */
@RestController
class ComplianceController {

  static final int MAX_PAGE = 1000;

  /** A scan asked for. */
  record ScanRequest(String kind, Map<String, String> options) {}

  private final Features features;
  private final Scans scans;
  private final Reports reports;
  private final ReportDownloads downloads;
  private final Requester requester;

  ComplianceController(
      Features features,
      Scans scans,
      Reports reports,
      ReportDownloads downloads,
      Requester requester) {
    this.features = features;
    this.scans = scans;
    this.reports = reports;
    this.downloads = downloads;
    this.requester = requester;
  }

  @GetMapping("/api/v1/clusters/{id}/compliance/features")
  Map<String, Object> features(@PathVariable UUID id) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Features.View v : features.ofCluster(id)) {
      out.add(view(v));
    }
    return Map.of("clusterId", id, "features", out);
  }

  @PutMapping("/api/v1/clusters/{id}/compliance/features/{feature}")
  ResponseEntity<Map<String, Object>> enable(@PathVariable UUID id, @PathVariable String feature) {
    Feature f =
        Feature.parse(feature)
            .orElseThrow(
                () ->
                    new Problems.BadRequest(
                        "feature",
                        "'" + feature + "' is not a feature; features are " + featureNames()));
    Features.View v = features.enable(id, f, requester.current().orElse(null));
    boolean done =
        v.enabled() != null && FeatureStore.Enablement.ENABLED.equals(v.enabled().state());
    return ResponseEntity.status(done ? 200 : 202).body(view(v));
  }

  @PostMapping("/api/v1/clusters/{id}/scans")
  ResponseEntity<Map<String, Object>> start(@PathVariable UUID id, @RequestBody ScanRequest body) {
    ScanKind kind = kind(body == null ? null : body.kind());
    Scan s = scans.start(id, kind, body.options(), "on-demand", requester.current().orElse(null));
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/scans/" + s.id()))
        .body(ScanViews.scan(s));
  }

  @GetMapping("/api/v1/clusters/{id}/scans")
  Map<String, Object> history(
      @PathVariable UUID id,
      @RequestParam(required = false) String kind,
      @RequestParam(defaultValue = "50") int limit) {
    ScanKind k = kind == null || kind.isBlank() ? null : kind(kind);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Scan s : reports.ofCluster(id, k, Math.max(1, Math.min(limit, 500)))) {
      out.add(ScanViews.scan(s));
    }
    return Map.of("clusterId", id, "scans", out);
  }

  @GetMapping("/api/v1/scans/{id}")
  Map<String, Object> scan(@PathVariable UUID id) {
    return ScanViews.scan(reports.scan(id));
  }

  @PostMapping("/api/v1/scans/{id}/cancel")
  Map<String, Object> cancel(@PathVariable UUID id) {
    return ScanViews.scan(scans.cancel(id, requester.current().orElse("an operator")));
  }

  @GetMapping("/api/v1/scans/{id}/report")
  ResponseEntity<?> report(
      @PathVariable UUID id,
      @RequestParam(required = false) String node,
      @RequestParam(required = false) String role,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String severity,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "200") int limit,
      @RequestParam(defaultValue = "json") String format,
      HttpServletResponse response)
      throws IOException {
    ReportStore.Filter filter =
        new ReportStore.Filter(
            blank(node),
            blank(role),
            status == null || status.isBlank() ? null : status(status),
            severity == null || severity.isBlank() ? null : severity(severity),
            Math.max(0, after),
            Math.max(1, Math.min(limit, MAX_PAGE)));
    switch (format.toLowerCase(Locale.ROOT)) {
      case "json" -> {
        Reports.Report r = reports.report(id, filter);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scan", ScanViews.scan(r.scan()));
        out.put("cluster", r.clusterName());
        out.put("summary", r.summary());
        List<Map<String, Object>> rows = new ArrayList<>();
        long last = 0;
        for (ReportStore.Row row : r.findings()) {
          rows.add(ScanViews.finding(row.finding()));
          last = row.seq();
        }
        out.put("findings", rows);
        out.put("next", rows.size() == filter.limit() ? "?after=" + last : null);
        return ResponseEntity.ok(out);
      }
      case "csv" -> {
        Scan s = reports.scan(id);
        start(response, "text/csv; charset=UTF-8", attachment(s, "csv"));
        downloads.csv(id, filter, response.getOutputStream());
        return null;
      }
      case "pdf" -> {
        Scan s = reports.scan(id);
        start(response, MediaType.APPLICATION_PDF_VALUE, attachment(s, "pdf"));
        downloads.pdf(id, filter, response.getOutputStream());
        return null;
      }
      default ->
          throw new Problems.BadRequest(
              "format", "format is json, csv or pdf, not '" + format + "'");
    }
  }

  @GetMapping("/api/v1/scans/{id}/sbom")
  ResponseEntity<?> sbom(
      @PathVariable UUID id,
      @RequestParam(required = false) String image,
      HttpServletResponse response)
      throws IOException {
    if (image == null || image.isBlank()) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("scanId", id);
      out.put("format", reports.scan(id).options().get("format"));
      out.put("images", new ArrayList<>(reports.sbomImages(id).keySet()));
      return ResponseEntity.ok(out);
    }
    Scan s = reports.scan(id);
    if (!reports.sbomImages(id).containsKey(image)) {
      throw new Reports.NoReport("scan " + id + " has no SBOM of image " + image);
    }
    start(
        response,
        MediaType.APPLICATION_JSON_VALUE,
        "attachment; filename=\"sbom-"
            + s.id()
            + "-"
            + image.replaceAll("[^A-Za-z0-9._-]", "_")
            + "."
            + s.options().getOrDefault("format", "spdx-json")
            + ".json\"");
    reports.sbom(id, image, response.getOutputStream());
    return null;
  }

  /**
   * Starts a download written straight to the response, after every check that could refuse it has
   * passed: what is refused before this is a problem response, not a broken file.
   */
  private static void start(HttpServletResponse response, String type, String disposition) {
    response.setStatus(200);
    response.setContentType(type);
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION, disposition);
  }

  @GetMapping("/api/v1/scans/{id}/compare")
  Map<String, Object> compare(
      @PathVariable UUID id,
      @RequestParam(required = false) UUID with,
      @RequestParam(defaultValue = "200") int limit) {
    Reports.Comparison c = reports.compare(id, with, Math.max(1, Math.min(limit, MAX_PAGE)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scan", ScanViews.scan(c.scan()));
    out.put("baseline", ScanViews.scan(c.baseline()));
    out.put("newCount", c.newCount());
    out.put("fixedCount", c.fixedCount());
    out.put("new", c.newFindings().stream().map(ScanViews::finding).toList());
    out.put("fixed", c.fixedFindings().stream().map(ScanViews::finding).toList());
    return out;
  }

  private static String attachment(Scan s, String ext) {
    return "attachment; filename=\"" + s.kind().wireName() + "-scan-" + s.id() + "." + ext + "\"";
  }

  private static Map<String, Object> view(Features.View v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("feature", v.feature().wireName());
    out.put("title", v.feature().title());
    out.put("tool", v.feature().tool());
    out.put("pack", v.pack());
    out.put("available", v.available());
    out.put("availableVersion", v.version());
    out.put("unavailableReason", v.why());
    FeatureStore.Enablement e = v.enabled();
    out.put("enabled", e != null && FeatureStore.Enablement.ENABLED.equals(e.state()));
    if (e != null) {
      Map<String, Object> en = new LinkedHashMap<>();
      en.put("state", e.state());
      en.put("pack", e.pack());
      en.put("version", e.version());
      en.put("planId", e.planId());
      en.put("reason", e.reason());
      en.put("at", e.at());
      out.put("installation", en);
    }
    out.put("sourceMissing", v.sourceMissing());
    return out;
  }

  private static ScanKind kind(String text) {
    return ScanKind.parse(text)
        .orElseThrow(
            () ->
                new Problems.BadRequest(
                    "kind",
                    (text == null ? "kind is required" : "'" + text + "' is not a scan kind")
                        + "; kinds are configuration, penetration, sbom and conformance"));
  }

  private static Status status(String text) {
    try {
      return Status.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Problems.BadRequest("status", "status is one of pass, fail, warn, info, skipped");
    }
  }

  private static Severity severity(String text) {
    try {
      return Severity.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Problems.BadRequest(
          "severity", "severity is one of critical, high, medium, low, negligible, unknown");
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static List<String> featureNames() {
    List<String> out = new ArrayList<>();
    for (Feature f : Feature.values()) {
      out.add(f.wireName());
    }
    return out;
  }
}
