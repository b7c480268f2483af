package dev.easel.compliance.adapters.in.web;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import dev.easel.compliance.domain.scan.Scan;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Scans and findings as the API shows them. */
final class ScanViews {

  private ScanViews() {}

  static Map<String, Object> scan(Scan s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.id());
    out.put("clusterId", s.clusterId());
    out.put("kind", s.kind().wireName());
    out.put("state", s.state().name());
    out.put("trigger", s.trigger());
    out.put("options", s.options());
    out.put("phase", s.phase());
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("completed", s.completed());
    progress.put("total", s.total());
    progress.put("failed", s.failed());
    out.put("progress", progress);
    out.put("reason", s.reason());
    out.put("summary", s.state().finished() ? s.summary() : null);
    out.put("actor", s.actor());
    out.put("createdAt", s.createdAt());
    out.put("finishedAt", s.finishedAt());
    out.put("report", "/api/v1/scans/" + s.id() + "/report");
    return out;
  }

  static Map<String, Object> finding(Finding f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", f.node());
    out.put("role", f.role());
    out.put("scope", f.scope());
    out.put("id", f.ruleId());
    out.put("title", f.title());
    out.put("status", f.status() == null ? null : f.status().name());
    out.put(
        "severity",
        f.severity() == Severity.NONE ? null : f.severity().name().toLowerCase(Locale.ROOT));
    out.put("detail", f.detail());
    out.put("remediation", f.remediation());
    out.put("reference", f.reference());
    AffectedPackage p = f.affected();
    if (p != null) {
      Map<String, Object> pkg = new LinkedHashMap<>();
      pkg.put("name", p.name());
      pkg.put("version", p.version());
      pkg.put("type", p.type());
      pkg.put("purl", p.purl());
      pkg.put("fixState", p.fixState());
      pkg.put("fixedIn", p.fixedIn());
      pkg.put("locations", p.locations());
      out.put("package", pkg);
    }
    return out;
  }
}
