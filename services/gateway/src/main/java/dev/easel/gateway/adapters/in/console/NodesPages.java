package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * Nodes: the list (selector, state, cursor pages, live), a node's inventory, labels and preflight,
 * a plan's steps, and the registration tokens agents register with.
 */
@Controller
class NodesPages {

  static final int PAGE_SIZE = 50;

  private final ConsoleApi api;

  NodesPages(ConsoleApi api) {
    this.api = api;
  }

  @GetMapping("/nodes")
  String nodes(
      @RequestParam(required = false) String selector,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String pageToken,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    rows(selector, state, pageToken, request, response, model);
    return "console/nodes";
  }

  @GetMapping("/nodes/rows")
  String rows(
      @RequestParam(required = false) String selector,
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String pageToken,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    model.addAttribute("selector", selector == null ? "" : selector);
    model.addAttribute("state", state == null ? "" : state);
    model.addAttribute("pageToken", pageToken == null ? "" : pageToken);
    model.addAttribute(
        "query",
        Pages.query(Pages.params("selector", selector, "state", state, "pageToken", pageToken)));
    ConsoleApi.Answer a =
        api.get(
            request,
            "/api/v1/nodes"
                + Pages.query(
                    Pages.params(
                        "selector",
                        selector,
                        "state",
                        state,
                        "pageSize",
                        Integer.toString(PAGE_SIZE),
                        "pageToken",
                        pageToken)));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("nodes", java.util.List.of());
      return "console/nodes :: rows";
    }
    model.addAttribute("nodes", a.body().path("nodes"));
    String next = a.body().path("nextPageToken").asString("");
    model.addAttribute(
        "nextQuery",
        next.isEmpty()
            ? null
            : Pages.query(Pages.params("selector", selector, "state", state, "pageToken", next)));
    return "console/nodes :: rows";
  }

  @GetMapping("/nodes/{id}")
  String node(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a = api.get(request, "/api/v1/nodes/" + Pages.q(id));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/error";
    }
    show(a, request, model);
    return "console/node";
  }

  @PostMapping("/nodes/{id}/labels")
  String labels(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String labels,
      @RequestParam(defaultValue = "") String etag,
      @RequestParam(name = "original", required = false) java.util.List<String> original,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, String> wanted = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    int line = 0;
    for (String raw : labels.split("\n")) {
      line++;
      String l = raw.strip();
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        problems.put("labels", "line " + line + " is not key=value: " + l);
        continue;
      }
      wanted.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    ConsoleApi.Answer current = api.get(request, "/api/v1/nodes/" + Pages.q(id));
    if (!current.ok()) {
      Pages.refused(current, model, response);
      return "console/error";
    }
    if (!problems.isEmpty()) {
      show(current, request, model);
      model.addAttribute("labelsText", labels);
      model.addAttribute("errors", problems);
      response.setStatus(422);
      return "console/node :: labels";
    }
    Map<String, Object> patch = new LinkedHashMap<>(wanted);
    if (original != null) {
      for (String k : original) {
        if (!wanted.containsKey(k)) {
          patch.put(k, null);
        }
      }
    }
    ConsoleApi.Answer changed =
        api.send(
            request,
            "PATCH",
            "/api/v1/nodes/" + Pages.q(id) + "/labels",
            Map.of("labels", patch),
            etag.isEmpty() ? Map.of() : Map.of("If-Match", etag));
    if (!changed.ok()) {
      show(current, request, model);
      model.addAttribute("labelsText", labels);
      if (changed.status() == 412) {
        model.addAttribute(
            "error",
            "Someone changed this node's labels since you opened it. The form shows them as they"
                + " are now; make your change again.");
        model.addAttribute("labelsText", null);
      } else {
        Pages.refused(changed, model, response);
        model.addAttribute("errors", relabel(changed.fieldErrors()));
      }
      response.setStatus(changed.status());
      return "console/node :: labels";
    }
    ConsoleApi.Answer fresh = api.get(request, "/api/v1/nodes/" + Pages.q(id));
    show(fresh.ok() ? fresh : current, request, model);
    model.addAttribute("saved", true);
    return "console/node :: labels";
  }

  private static Map<String, String> relabel(Map<String, String> fieldErrors) {
    Map<String, String> out = new LinkedHashMap<>();
    fieldErrors.forEach((k, v) -> out.merge("labels", k + ": " + v, (a, b) -> a + "; " + b));
    return out;
  }

  private void show(ConsoleApi.Answer a, HttpServletRequest request, Model model) {
    JsonNode node = a.body();
    model.addAttribute("node", node);
    model.addAttribute("etag", a.header("ETag").orElse(""));
    StringBuilder text = new StringBuilder();
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (var e : node.path("labels").properties()) {
      text.append(e.getKey()).append('=').append(e.getValue().asString()).append('\n');
      keys.add(e.getKey());
    }
    if (!model.containsAttribute("labelsText") || model.getAttribute("labelsText") == null) {
      model.addAttribute("labelsText", text.toString());
    }
    model.addAttribute("labelKeys", keys);
    ConsoleApi.Answer pf =
        api.get(request, "/api/v1/nodes/" + Pages.q(node.path("id").asString()) + "/preflight");
    model.addAttribute("preflight", pf.ok() ? pf.body() : null);
  }

  @GetMapping("/plans/{id}")
  String plan(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a = api.get(request, "/api/v1/plans/" + Pages.q(id));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/error";
    }
    model.addAttribute("plan", a.body());
    return "console/plan";
  }

  @GetMapping("/tokens")
  String tokens(HttpServletRequest request, HttpServletResponse response, Model model) {
    list(request, model);
    return "console/tokens";
  }

  @PostMapping("/tokens")
  String createToken(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "24") String ttlHours,
      @RequestParam(defaultValue = "") String maxUses,
      @RequestParam(defaultValue = "") String labels,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name.strip());
    Map<String, String> problems = new LinkedHashMap<>();
    try {
      body.put("ttlSeconds", Math.round(Double.parseDouble(ttlHours.strip()) * 3600));
    } catch (NumberFormatException e) {
      problems.put("ttlSeconds", "must be a number of hours");
    }
    if (!maxUses.isBlank()) {
      try {
        body.put("maxUses", Integer.parseInt(maxUses.strip()));
      } catch (NumberFormatException e) {
        problems.put("maxUses", "must be a whole number");
      }
    }
    Map<String, String> tokenLabels = new LinkedHashMap<>();
    for (String raw : labels.split("\n")) {
      String l = raw.strip();
      int eq = l.indexOf('=');
      if (l.isEmpty()) {
        continue;
      }
      if (eq <= 0) {
        problems.put("labels", "each line is key=value, not: " + l);
      } else {
        tokenLabels.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
      }
    }
    if (!tokenLabels.isEmpty()) {
      body.put("labels", tokenLabels);
    }
    model.addAttribute(
        "form", Map.of("name", name, "ttlHours", ttlHours, "maxUses", maxUses, "labels", labels));
    if (!problems.isEmpty()) {
      response.setStatus(422);
      model.addAttribute("errors", problems);
      list(request, model);
      return "console/tokens :: panel";
    }
    ConsoleApi.Answer a = api.send(request, "POST", "/api/v1/registration-tokens", body);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      // node-discovery names the field at the start of its detail: put it next to that field.
      for (String field : new String[] {"name", "ttlSeconds", "maxUses", "labels"}) {
        if (a.fieldErrors().isEmpty() && a.detail().startsWith(field + " ")) {
          model.addAttribute("errors", Map.of(field, a.detail()));
        }
      }
      list(request, model);
      return "console/tokens :: panel";
    }
    model.addAttribute("created", a.body());
    String base =
        request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort();
    model.addAttribute(
        "agentCommand",
        "EASEL_TOKEN='"
            + a.body().path("token").asString()
            + "' easel-agent run --server "
            + base
            + (request.getScheme().equals("http") ? " --insecure-http" : ""));
    model.addAttribute("form", Map.of());
    list(request, model);
    return "console/tokens :: panel";
  }

  @PostMapping("/tokens/{id}/revoke")
  String revoke(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(request, "DELETE", "/api/v1/registration-tokens/" + Pages.q(id), null);
    if (!a.ok()) {
      Pages.refused(a, model, response);
    }
    model.addAttribute("form", Map.of());
    list(request, model);
    return "console/tokens :: panel";
  }

  private void list(HttpServletRequest request, Model model) {
    ConsoleApi.Answer a = api.get(request, "/api/v1/registration-tokens");
    model.addAttribute("tokens", a.ok() ? a.body().path("tokens") : null);
    if (!a.ok() && !model.containsAttribute("error")) {
      model.addAttribute("listError", a.detail());
    }
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", Map.of());
    }
  }
}
