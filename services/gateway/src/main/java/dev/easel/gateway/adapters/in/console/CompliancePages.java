package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * Compliance: the clusters to pick from; a cluster's features (enable one), its scans (run one,
 * live) and its scan schedules (set, remove); and a scan's state, progress, cancel, filtered report
 * and downloads.
 */
@Controller
class CompliancePages {

  /** The scan kinds, in the API's words, with the feature each needs. */
  static final Map<String, String> KINDS =
      Map.of(
          "configuration", "configuration-security",
          "penetration", "penetration-testing",
          "sbom", "sbom",
          "conformance", "conformance");

  static final List<String> KIND_ORDER =
      List.of("configuration", "penetration", "sbom", "conformance");

  static final List<String> PRESETS =
      List.of("weekly", "biweekly", "monthly", "bimonthly", "custom");

  static final int REPORT_PAGE = 100;

  private final ConsoleApi api;

  CompliancePages(ConsoleApi api) {
    this.api = api;
  }

  @GetMapping("/compliance")
  String clusters(
      @RequestParam(required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.get(request, "/api/v1/clusters" + Pages.query(Pages.params("after", after)));
    model.addAttribute("after", after == null ? "" : after);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("clusters", List.of());
      return "console/compliance/index";
    }
    model.addAttribute("clusters", a.body().path("items"));
    String next = a.body().path("next").asString("");
    model.addAttribute("next", next.isEmpty() ? null : next);
    return "console/compliance/index";
  }

  @GetMapping("/compliance/{clusterId}")
  String cluster(
      @PathVariable String clusterId,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer c = api.get(request, "/api/v1/clusters/" + Pages.q(clusterId));
    if (!c.ok()) {
      Pages.refused(c, model, response);
      return "console/error";
    }
    model.addAttribute("cluster", c.body());
    live(clusterId, request, response, model);
    schedulesModel(clusterId, request, model);
    return "console/compliance/cluster";
  }

  @GetMapping("/compliance/{clusterId}/live")
  String live(
      @PathVariable String clusterId,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    model.addAttribute("clusterId", clusterId);
    ConsoleApi.Answer f =
        api.get(request, "/api/v1/clusters/" + Pages.q(clusterId) + "/compliance/features");
    if (!f.ok()) {
      Pages.refused(f, model, response);
      model.addAttribute("features", List.of());
      model.addAttribute("runnable", List.of());
    } else {
      model.addAttribute("features", f.body().path("features"));
      List<String> runnable = new ArrayList<>();
      for (String kind : KIND_ORDER) {
        for (JsonNode feature : f.body().path("features")) {
          if (feature.path("feature").asString("").equals(KINDS.get(kind))
              && feature.path("enabled").asBoolean(false)) {
            runnable.add(kind);
          }
        }
      }
      model.addAttribute("runnable", runnable);
    }
    ConsoleApi.Answer s =
        api.get(request, "/api/v1/clusters/" + Pages.q(clusterId) + "/scans?limit=50");
    if (s.ok()) {
      model.addAttribute("scans", s.body().path("scans"));
    } else {
      model.addAttribute("scans", List.of());
      model.addAttribute("scansError", s.detail());
    }
    return "console/compliance/cluster :: live";
  }

  @PostMapping("/compliance/{clusterId}/features/{feature}")
  String enable(
      @PathVariable String clusterId,
      @PathVariable String feature,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "PUT",
            "/api/v1/clusters/" + Pages.q(clusterId) + "/compliance/features/" + Pages.q(feature),
            null);
    if (!a.ok()) {
      live(clusterId, request, response, model);
      Pages.refused(a, model, response);
      return "console/compliance/cluster :: live";
    }
    model.addAttribute(
        "done",
        a.status() == 202
            ? a.body().path("title").asString(feature)
                + ": installing. Its state below follows the installation."
            : a.body().path("title").asString(feature) + ": enabled.");
    return live(clusterId, request, response, model);
  }

  @PostMapping("/compliance/{clusterId}/scans")
  String run(
      @PathVariable String clusterId,
      @RequestParam(defaultValue = "") String kind,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "POST",
            "/api/v1/clusters/" + Pages.q(clusterId) + "/scans",
            Map.of("kind", kind));
    if (!a.ok()) {
      live(clusterId, request, response, model);
      Pages.refused(a, model, response);
      return "console/compliance/cluster :: live";
    }
    model.addAttribute("done", "A " + kind + " scan started.");
    model.addAttribute("startedScan", a.body().path("id").asString(""));
    return live(clusterId, request, response, model);
  }

  @GetMapping("/compliance/{clusterId}/schedules")
  String schedules(@PathVariable String clusterId, HttpServletRequest request, Model model) {
    schedulesModel(clusterId, request, model);
    return "console/compliance/cluster :: schedules";
  }

  @PostMapping("/compliance/{clusterId}/schedules/{kind}")
  String schedule(
      @PathVariable String clusterId,
      @PathVariable String kind,
      @RequestParam(defaultValue = "") String preset,
      @RequestParam(defaultValue = "") String cron,
      @RequestParam(defaultValue = "") String timeZone,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("preset", preset.isBlank() ? null : preset.strip());
    body.put("cron", cron.isBlank() ? null : cron.strip());
    body.put("timeZone", timeZone.isBlank() ? null : timeZone.strip());
    ConsoleApi.Answer a =
        api.send(
            request,
            "PUT",
            "/api/v1/clusters/" + Pages.q(clusterId) + "/scan-schedules/" + Pages.q(kind),
            body);
    schedulesModel(clusterId, request, model);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("errorKind", kind);
      model.addAttribute(
          "form", Pages.params("preset", preset, "cron", cron, "timeZone", timeZone));
    } else {
      model.addAttribute("savedKind", kind);
      model.addAttribute(
          "saved",
          "The "
              + kind
              + " scan schedule is set"
              + (a.body().path("nextRunAt").isNull()
                  ? "."
                  : "; next run " + a.body().path("nextRunAt").asString("") + "."));
    }
    return "console/compliance/cluster :: schedules";
  }

  @PostMapping("/compliance/{clusterId}/schedules/{kind}/delete")
  String unschedule(
      @PathVariable String clusterId,
      @PathVariable String kind,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "DELETE",
            "/api/v1/clusters/" + Pages.q(clusterId) + "/scan-schedules/" + Pages.q(kind),
            null);
    schedulesModel(clusterId, request, model);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("errorKind", kind);
    } else {
      model.addAttribute("savedKind", kind);
      model.addAttribute("saved", "The " + kind + " scan schedule is removed: on demand only.");
    }
    return "console/compliance/cluster :: schedules";
  }

  private void schedulesModel(String clusterId, HttpServletRequest request, Model model) {
    model.addAttribute("clusterId", clusterId);
    model.addAttribute("kinds", KIND_ORDER);
    model.addAttribute("presets", PRESETS);
    ConsoleApi.Answer a =
        api.get(request, "/api/v1/clusters/" + Pages.q(clusterId) + "/scan-schedules");
    Map<String, JsonNode> byKind = new LinkedHashMap<>();
    if (a.ok()) {
      for (JsonNode s : a.body().path("items")) {
        byKind.put(s.path("kind").asString(""), s);
      }
    } else {
      model.addAttribute("schedulesError", a.detail());
    }
    model.addAttribute("schedules", byKind);
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", Map.of());
    }
  }

  @GetMapping("/scans/{id}")
  String scan(
      @PathVariable String id,
      @RequestParam(required = false) String node,
      @RequestParam(required = false) String role,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String severity,
      @RequestParam(required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer s = api.get(request, "/api/v1/scans/" + Pages.q(id));
    if (!s.ok()) {
      Pages.refused(s, model, response);
      return "console/error";
    }
    JsonNode scan = s.body();
    model.addAttribute("scan", scan);
    String clusterId = scan.path("clusterId").asString("");
    List<String> nodes = new ArrayList<>();
    ConsoleApi.Answer c = api.get(request, "/api/v1/clusters/" + Pages.q(clusterId));
    if (c.ok()) {
      model.addAttribute("clusterName", c.body().path("name").asString(clusterId));
      for (JsonNode pool : c.body().path("nodePools")) {
        for (JsonNode n : pool.path("nodes")) {
          nodes.add(n.path("hostname").asString(""));
        }
      }
    } else {
      model.addAttribute("clusterName", clusterId);
    }
    if (node != null && !node.isBlank() && !nodes.contains(node)) {
      nodes.add(node);
    }
    model.addAttribute("nodes", nodes);
    Map<String, String> filter =
        Pages.params("node", node, "role", role, "status", status, "severity", severity);
    model.addAttribute("filter", filter);
    model.addAttribute("filtered", !Pages.query(filter).isEmpty());
    model.addAttribute("filterQuery", Pages.query(filter));
    String state = scan.path("state").asString("");
    if ("Completed".equals(state)) {
      Map<String, String> q = new LinkedHashMap<>(filter);
      q.put("after", after);
      q.put("limit", Integer.toString(REPORT_PAGE));
      ConsoleApi.Answer r =
          api.get(request, "/api/v1/scans/" + Pages.q(id) + "/report" + Pages.query(q));
      if (r.ok()) {
        model.addAttribute("report", r.body());
        String next = r.body().path("next").asString("");
        if (!next.isEmpty()) {
          Map<String, String> nq = new LinkedHashMap<>(filter);
          nq.put("after", next.replaceFirst("^\\?after=", ""));
          model.addAttribute("nextQuery", Pages.query(nq));
        }
      } else {
        Pages.refused(r, model, response);
        model.addAttribute("reportError", r.detail());
      }
      if ("sbom".equals(scan.path("kind").asString(""))) {
        ConsoleApi.Answer b = api.get(request, "/api/v1/scans/" + Pages.q(id) + "/sbom");
        model.addAttribute("sbomImages", b.ok() ? b.body().path("images") : null);
      }
    }
    model.addAttribute("after", after == null ? "" : after);
    model.addAttribute("statuses", List.of("pass", "fail", "warn", "info", "skipped"));
    model.addAttribute(
        "severities", List.of("critical", "high", "medium", "low", "negligible", "unknown"));
    return "console/compliance/scan";
  }

  @GetMapping("/scans/{id}/live")
  String scanLive(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer s = api.get(request, "/api/v1/scans/" + Pages.q(id));
    if (!s.ok()) {
      Pages.refused(s, model, response);
      model.addAttribute("scan", null);
      model.addAttribute("scanId", id);
      return "console/compliance/scan :: live";
    }
    model.addAttribute("scan", s.body());
    return "console/compliance/scan :: live";
  }

  @PostMapping("/scans/{id}/cancel")
  String cancel(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(request, "POST", "/api/v1/scans/" + Pages.q(id) + "/cancel", null);
    if (!a.ok()) {
      ConsoleApi.Answer s = api.get(request, "/api/v1/scans/" + Pages.q(id));
      model.addAttribute("scan", s.ok() ? s.body() : null);
      model.addAttribute("scanId", id);
      Pages.refused(a, model, response);
      return "console/compliance/scan :: live";
    }
    model.addAttribute("scan", a.body());
    model.addAttribute("done", "The scan is cancelled.");
    return "console/compliance/scan :: live";
  }
}
