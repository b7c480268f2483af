package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Packs and profiles: the pack catalogue (filters, cursor pages) and one pack version's values,
 * schema and README; registries with their health and sync (check, sync, add), bundle uploads and
 * their progress; cluster profiles, their versions, editing a draft's layer values with inline
 * validation, publishing, and comparing two versions.
 */
@Controller
class PacksPages {

  static final int PAGE_SIZE = 50;

  static final List<String> LAYERS = List.of("os", "k8s", "cni", "csi", "addon");

  static final List<String> CLOUD_TYPES =
      List.of(
          "all",
          "aws",
          "azure",
          "gcp",
          "vsphere",
          "openstack",
          "baremetal",
          "maas",
          "aks",
          "eks",
          "tke",
          "edge",
          "libvirt",
          "edge-native",
          "coxedge",
          "tencent",
          "custom");

  static final List<String> PROFILE_TYPES = List.of("full", "infra", "add-on");

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern LAYER_FIELD = Pattern.compile("^layers\\[(\\d+)]");

  private final ConsoleApi api;

  PacksPages(ConsoleApi api) {
    this.api = api;
  }

  // ---------------------------------------------------------------------------------------------
  // The catalogue
  // ---------------------------------------------------------------------------------------------

  @GetMapping("/packs")
  String catalogue(
      @RequestParam(required = false) String layer,
      @RequestParam(required = false) String cloudType,
      @RequestParam(required = false) String name,
      @RequestParam(required = false) String q,
      @RequestParam(required = false) String registry,
      @RequestParam(required = false) String cursor,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, String> filters =
        Pages.params(
            "layer", layer, "cloudType", cloudType, "name", name, "q", q, "registry", registry);
    filters.forEach((k, v) -> model.addAttribute(k, v == null ? "" : v));
    model.addAttribute("cursor", cursor == null ? "" : cursor);
    model.addAttribute("layers", LAYERS);
    model.addAttribute("cloudTypes", CLOUD_TYPES);
    ConsoleApi.Answer regs = api.get(request, "/api/v1/registries");
    model.addAttribute("registries", regs.ok() ? regs.body() : JSON.createArrayNode());
    Map<String, String> params = new LinkedHashMap<>(filters);
    params.put("limit", Integer.toString(PAGE_SIZE));
    params.put("cursor", cursor);
    ConsoleApi.Answer a = api.get(request, "/api/v1/packs" + Pages.query(params));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("packs", JSON.createArrayNode());
      return "console/packs/packs";
    }
    model.addAttribute("packs", a.body().path("items"));
    String next = a.body().path("next").asString("");
    Map<String, String> nextParams = new LinkedHashMap<>(filters);
    nextParams.put("cursor", next);
    model.addAttribute("nextQuery", next.isEmpty() ? null : Pages.query(nextParams));
    model.addAttribute("firstQuery", Pages.query(filters));
    return "console/packs/packs";
  }

  @GetMapping("/packs/{name}/{version}")
  String pack(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam(required = false) String registry,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.get(
            request,
            "/api/v1/packs/"
                + Pages.q(name)
                + "/versions/"
                + Pages.q(version)
                + Pages.query(Pages.params("registry", registry)));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/error";
    }
    model.addAttribute("pack", a.body());
    ConsoleApi.Answer versions = api.get(request, "/api/v1/packs/" + Pages.q(name) + "/versions");
    model.addAttribute("versions", versions.ok() ? versions.body() : JSON.createArrayNode());
    return "console/packs/pack";
  }

  // ---------------------------------------------------------------------------------------------
  // Registries and uploads
  // ---------------------------------------------------------------------------------------------

  @GetMapping("/packs/registries")
  String registries(HttpServletRequest request, HttpServletResponse response, Model model) {
    registryList(request, response, model);
    model.addAttribute("form", Map.of());
    return "console/packs/registries";
  }

  @GetMapping("/packs/registries/rows")
  String registryRows(HttpServletRequest request, HttpServletResponse response, Model model) {
    registryList(request, response, model);
    return "console/packs/registries :: rows";
  }

  @PostMapping("/packs/registries")
  String addRegistry(
      @RequestParam Map<String, String> form,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, String> problems = new LinkedHashMap<>();
    for (String f :
        List.of("name", "kind", "endpoint", "baseContentPath", "username", "password")) {
      String v = form.getOrDefault(f, "").strip();
      if (!v.isEmpty()) {
        body.put(f, v);
      }
    }
    String ca = form.getOrDefault("caCertificate", "").strip();
    if (!ca.isEmpty()) {
      body.put("caCertificate", ca);
    }
    body.put("insecureSkipTlsVerify", form.containsKey("insecureSkipTlsVerify"));
    String interval = form.getOrDefault("syncIntervalSeconds", "").strip();
    if (!interval.isEmpty()) {
      try {
        body.put("syncIntervalSeconds", Integer.parseInt(interval));
      } catch (NumberFormatException e) {
        problems.put("syncIntervalSeconds", "must be a whole number of seconds");
      }
    }
    Map<String, String> shown = new LinkedHashMap<>(form);
    shown.remove("password");
    shown.remove("_csrf");
    model.addAttribute("form", shown);
    if (!problems.isEmpty()) {
      response.setStatus(422);
      model.addAttribute("errors", problems);
      return "console/packs/registries :: add";
    }
    ConsoleApi.Answer a = api.send(request, "POST", "/api/v1/registries", body);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/packs/registries :: add";
    }
    model.addAttribute("added", a.body());
    model.addAttribute("form", Map.of());
    response.setHeader("HX-Trigger", "registry-added");
    return "console/packs/registries :: add";
  }

  @GetMapping("/packs/registries/{id}/row")
  String registryRow(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    return row(api.get(request, "/api/v1/registries/" + Pages.q(id)), id, request, response, model);
  }

  @PostMapping("/packs/registries/{id}/check")
  String check(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(request, "POST", "/api/v1/registries/" + Pages.q(id) + "/check", null);
    if (a.ok()) {
      model.addAttribute("done", "Checked: " + a.body().path("health").path("state").asString(""));
    }
    return row(a, id, request, response, model);
  }

  @PostMapping("/packs/registries/{id}/sync")
  String sync(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(request, "POST", "/api/v1/registries/" + Pages.q(id) + "/sync", null);
    if (a.ok()) {
      model.addAttribute("done", "Sync started");
    }
    return row(
        a.ok() ? api.get(request, "/api/v1/registries/" + Pages.q(id)) : a,
        id,
        request,
        response,
        model);
  }

  private String row(
      ConsoleApi.Answer a,
      String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    if (!a.ok()) {
      ConsoleApi.Answer current = api.get(request, "/api/v1/registries/" + Pages.q(id));
      Pages.refused(a, model, response);
      model.addAttribute(
          "registries",
          current.ok()
              ? JSON.createArrayNode().add(current.body())
              : JSON.createArrayNode().add(JSON.createObjectNode().put("id", id).put("name", id)));
      return "console/packs/registries :: row";
    }
    model.addAttribute("registries", JSON.createArrayNode().add(a.body()));
    return "console/packs/registries :: row";
  }

  private void registryList(HttpServletRequest request, HttpServletResponse response, Model model) {
    ConsoleApi.Answer a = api.get(request, "/api/v1/registries");
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("registries", JSON.createArrayNode());
      return;
    }
    model.addAttribute("registries", a.body());
  }

  @GetMapping("/packs/upload")
  String uploadPage(HttpServletRequest request, HttpServletResponse response, Model model) {
    registryList(request, response, model);
    model.addAttribute("recent", recentUploads(request, model));
    return "console/packs/upload";
  }

  /** Each registry's latest uploads, newest first. */
  private List<JsonNode> recentUploads(HttpServletRequest request, Model model) {
    List<JsonNode> out = new ArrayList<>();
    Object regs = model.getAttribute("registries");
    if (regs instanceof JsonNode list) {
      for (JsonNode r : list) {
        ConsoleApi.Answer u =
            api.get(
                request,
                "/api/v1/registries/" + Pages.q(r.path("id").asString()) + "/uploads?limit=10");
        if (u.ok()) {
          for (JsonNode one : u.body()) {
            ((ObjectNode) one).put("registryName", r.path("name").asString());
            out.add(one);
          }
        }
      }
    }
    out.sort(
        (x, y) -> y.path("createdAt").asString("").compareTo(x.path("createdAt").asString("")));
    return out;
  }

  @GetMapping("/packs/uploads/{id}")
  String upload(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    boolean htmx = request.getHeader("HX-Request") != null;
    ConsoleApi.Answer a = api.get(request, "/api/v1/uploads/" + Pages.q(id));
    model.addAttribute("uploadId", id);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("upload", null);
    } else {
      String state = a.body().path("state").asString("");
      model.addAttribute("upload", a.body());
      model.addAttribute("finished", state.equals("COMPLETED") || state.equals("FAILED"));
    }
    if (htmx) {
      return "console/packs/upload :: upload-status";
    }
    registryList(request, response, model);
    model.addAttribute("recent", List.of());
    model.addAttribute("shown", true);
    return "console/packs/upload";
  }

  // ---------------------------------------------------------------------------------------------
  // Profiles
  // ---------------------------------------------------------------------------------------------

  @GetMapping("/profiles")
  String profiles(HttpServletRequest request, HttpServletResponse response, Model model) {
    profileList(request, response, model);
    model.addAttribute("form", Map.of());
    return "console/packs/profiles";
  }

  private void profileList(HttpServletRequest request, HttpServletResponse response, Model model) {
    model.addAttribute("profileTypes", PROFILE_TYPES);
    model.addAttribute("cloudTypes", CLOUD_TYPES);
    ConsoleApi.Answer a = api.get(request, "/api/v1/profiles");
    if (!a.ok()) {
      model.addAttribute("listError", a.detail());
      model.addAttribute("profiles", JSON.createArrayNode());
      return;
    }
    model.addAttribute("profiles", a.body());
  }

  @PostMapping("/profiles")
  String createProfile(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String version,
      @RequestParam(defaultValue = "") String description,
      @RequestParam(defaultValue = "") String type,
      @RequestParam(defaultValue = "") String cloudType,
      @RequestParam(defaultValue = "") String layers,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    model.addAttribute(
        "form",
        Map.of(
            "name", name,
            "version", version,
            "description", description,
            "type", type,
            "cloudType", cloudType,
            "layers", layers));
    model.addAttribute("profileTypes", PROFILE_TYPES);
    model.addAttribute("cloudTypes", CLOUD_TYPES);
    Map<String, String> problems = new LinkedHashMap<>();
    List<Map<String, Object>> layerList = new ArrayList<>();
    int line = 0;
    for (String raw : layers.split("\n")) {
      line++;
      String l = raw.strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] parts = l.split("\\s+");
      if (parts.length < 2 || parts.length > 3) {
        problems.merge(
            "layers",
            "line " + line + " is not 'pack version [registry]': " + l,
            (x, y) -> x + "; " + y);
        continue;
      }
      Map<String, Object> layer = new LinkedHashMap<>();
      layer.put("pack", parts[0]);
      layer.put("version", parts[1]);
      if (parts.length == 3) {
        layer.put("registry", parts[2]);
      }
      layerList.add(layer);
    }
    if (!problems.isEmpty()) {
      response.setStatus(422);
      model.addAttribute("errors", problems);
      return "console/packs/profiles :: create";
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name.strip());
    body.put("version", version.strip());
    body.put("description", description.strip().isEmpty() ? null : description.strip());
    body.put("type", type.strip());
    body.put("cloudType", cloudType.strip());
    body.put("layers", layerList);
    body.put("variables", List.of());
    ConsoleApi.Answer a = api.send(request, "POST", "/api/v1/profiles", body);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("errors", topLevel(a.fieldErrors(), "layers"));
      return "console/packs/profiles :: create";
    }
    return redirect(
        request,
        response,
        model,
        "/profiles/"
            + Pages.q(a.body().path("name").asString())
            + "/versions/"
            + Pages.q(a.body().path("version").asString()));
  }

  @GetMapping("/profiles/{name}")
  String profile(
      @PathVariable String name,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a = api.get(request, "/api/v1/profiles/" + Pages.q(name) + "/versions");
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/error";
    }
    model.addAttribute("name", name);
    model.addAttribute("versions", a.body());
    model.addAttribute("form", Map.of());
    return "console/packs/profile";
  }

  @PostMapping("/profiles/{name}/versions")
  String newVersion(
      @PathVariable String name,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String version,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from.isBlank() ? null : from.strip());
    body.put("version", version.isBlank() ? null : version.strip());
    body.put("changes", Map.of());
    ConsoleApi.Answer a =
        api.send(request, "POST", "/api/v1/profiles/" + Pages.q(name) + "/versions", body);
    if (!a.ok()) {
      ConsoleApi.Answer versions =
          api.get(request, "/api/v1/profiles/" + Pages.q(name) + "/versions");
      model.addAttribute("name", name);
      model.addAttribute("versions", versions.ok() ? versions.body() : JSON.createArrayNode());
      model.addAttribute("form", Map.of("from", from, "version", version));
      Pages.refused(a, model, response);
      return "console/packs/profile :: new-version";
    }
    return redirect(
        request,
        response,
        model,
        "/profiles/"
            + Pages.q(name)
            + "/versions/"
            + Pages.q(a.body().path("version").asString(version.strip())));
  }

  @GetMapping("/profiles/{name}/versions/{version}")
  String version(
      @PathVariable String name,
      @PathVariable String version,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a = getVersion(request, name, version);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      return "console/error";
    }
    showVersion(a, null, model);
    return "console/packs/version";
  }

  /** A dry run of the draft with the values as typed: problems beside their layers. */
  @PostMapping("/profiles/{name}/versions/{version}/validate")
  String validate(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam(name = "values", required = false) List<String> values,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer current = getVersion(request, name, version);
    if (!current.ok()) {
      Pages.refused(current, model, response);
      model.addAttribute("layerCount", 0);
      return "console/packs/version :: validation";
    }
    ObjectNode definition = definition(current.body(), values);
    model.addAttribute("layerCount", definition.path("layers").size());
    ConsoleApi.Answer v = api.send(request, "POST", "/api/v1/profiles/validate", definition);
    if (!v.ok()) {
      Pages.refused(v, model, response);
      return "console/packs/version :: validation";
    }
    Map<String, String> problems = new LinkedHashMap<>();
    for (JsonNode e : v.body().path("errors")) {
      problems.merge(
          e.path("field").asString(""), e.path("message").asString(""), (x, y) -> x + "; " + y);
    }
    model.addAttribute("checked", true);
    model.addAttribute("valid", v.body().path("valid").asBoolean(false));
    splitProblems(problems, model);
    return "console/packs/version :: validation";
  }

  @PostMapping("/profiles/{name}/versions/{version}/save")
  String save(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam(name = "values", required = false) List<String> values,
      @RequestParam(defaultValue = "") String etag,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer current = getVersion(request, name, version);
    if (!current.ok()) {
      Pages.refused(current, model, response);
      return "console/error";
    }
    ObjectNode definition = definition(current.body(), values);
    ConsoleApi.Answer a =
        api.send(
            request,
            "PUT",
            versionPath(name, version),
            definition,
            etag.isEmpty() ? Map.of() : Map.of("If-Match", etag));
    if (!a.ok()) {
      if (a.status() == 412) {
        showVersion(current, null, model);
        model.addAttribute(
            "error",
            "This version changed since you opened it. The form shows it as it is now; make your"
                + " change again.");
        response.setStatus(412);
      } else {
        showVersion(current, values, model);
        model.addAttribute("etag", etag);
        Pages.refused(a, model, response);
        splitProblems(a.fieldErrors(), model);
      }
      return "console/packs/version :: editor";
    }
    showVersion(a, null, model);
    model.addAttribute("saved", "Saved.");
    return "console/packs/version :: editor";
  }

  @PostMapping("/profiles/{name}/versions/{version}/publish")
  String publish(
      @PathVariable String name,
      @PathVariable String version,
      @RequestParam(defaultValue = "") String etag,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "POST",
            versionPath(name, version) + "/publish",
            null,
            etag.isEmpty() ? Map.of() : Map.of("If-Match", etag));
    if (!a.ok()) {
      ConsoleApi.Answer current = getVersion(request, name, version);
      if (!current.ok()) {
        Pages.refused(a, model, response);
        return "console/error";
      }
      showVersion(current, null, model);
      if (a.status() == 412) {
        model.addAttribute(
            "error",
            "This version changed since you opened it. The form shows it as it is now; publish"
                + " again if it is still what you want.");
        response.setStatus(412);
      } else {
        Pages.refused(a, model, response);
        splitProblems(a.fieldErrors(), model);
      }
      return "console/packs/version :: editor";
    }
    return redirect(
        request, response, model, "/profiles/" + Pages.q(name) + "/versions/" + Pages.q(version));
  }

  @GetMapping("/profiles/{name}/compare")
  String compare(
      @PathVariable String name,
      @RequestParam(defaultValue = "") String a,
      @RequestParam(defaultValue = "") String b,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    model.addAttribute("name", name);
    model.addAttribute("a", a);
    model.addAttribute("b", b);
    ConsoleApi.Answer versions =
        api.get(request, "/api/v1/profiles/" + Pages.q(name) + "/versions");
    if (!versions.ok()) {
      Pages.refused(versions, model, response);
      return "console/error";
    }
    model.addAttribute("versions", versions.body());
    if (a.isBlank() || b.isBlank()) {
      return "console/packs/compare";
    }
    ConsoleApi.Answer left = getVersion(request, name, a);
    ConsoleApi.Answer right = getVersion(request, name, b);
    if (!left.ok() || !right.ok()) {
      Pages.refused(left.ok() ? right : left, model, response);
      return "console/packs/compare";
    }
    model.addAttribute("left", left.body());
    model.addAttribute("right", right.body());
    model.addAttribute("fields", fieldDiffs(left.body(), right.body()));
    model.addAttribute("layerDiffs", layerDiffs(left.body(), right.body()));
    model.addAttribute("variableDiffs", variableDiffs(left.body(), right.body()));
    return "console/packs/compare";
  }

  /** One row of a comparison: what it is, its value in a and in b, and whether they differ. */
  record Diff(String what, String a, String b, boolean differs, List<String> changes) {}

  static List<Diff> fieldDiffs(JsonNode a, JsonNode b) {
    List<Diff> out = new ArrayList<>();
    for (String f : List.of("description", "type", "cloudType", "state")) {
      String x = text(a.path(f));
      String y = text(b.path(f));
      out.add(new Diff(f, x, y, !Objects.equals(x, y), List.of()));
    }
    return out;
  }

  /** Per layer (keyed by pack, or a manifest layer's name): pack version, registry and values. */
  static List<Diff> layerDiffs(JsonNode a, JsonNode b) {
    Map<String, JsonNode> left = byKey(a.path("layers"));
    Map<String, JsonNode> right = byKey(b.path("layers"));
    List<String> keys = new ArrayList<>(left.keySet());
    right.keySet().stream().filter(k -> !left.containsKey(k)).forEach(keys::add);
    List<Diff> out = new ArrayList<>();
    for (String k : keys) {
      JsonNode x = left.get(k);
      JsonNode y = right.get(k);
      List<String> changes = new ArrayList<>();
      if (x == null) {
        changes.add("added in b");
      } else if (y == null) {
        changes.add("removed in b");
      } else {
        if (!Objects.equals(text(x.path("version")), text(y.path("version")))) {
          changes.add("pack version " + text(x.path("version")) + " → " + text(y.path("version")));
        }
        if (!Objects.equals(text(x.path("registry")), text(y.path("registry")))) {
          changes.add(
              "registry "
                  + orNone(text(x.path("registry")))
                  + " → "
                  + orNone(text(y.path("registry"))));
        }
        if (!Objects.equals(values(x), values(y))) {
          changes.add("values changed");
        }
        if (!x.path("manifests").equals(y.path("manifests"))) {
          changes.add("manifests changed");
        }
        int ia = indexOf(a.path("layers"), k);
        int ib = indexOf(b.path("layers"), k);
        if (ia != ib) {
          changes.add("position " + (ia + 1) + " → " + (ib + 1));
        }
      }
      out.add(
          new Diff(
              k,
              x == null ? "" : values(x),
              y == null ? "" : values(y),
              !changes.isEmpty(),
              changes));
    }
    return out;
  }

  static List<Diff> variableDiffs(JsonNode a, JsonNode b) {
    Map<String, JsonNode> left = new LinkedHashMap<>();
    Map<String, JsonNode> right = new LinkedHashMap<>();
    a.path("variables").forEach(v -> left.put(v.path("name").asString(""), v));
    b.path("variables").forEach(v -> right.put(v.path("name").asString(""), v));
    List<String> keys = new ArrayList<>(left.keySet());
    right.keySet().stream().filter(k -> !left.containsKey(k)).forEach(keys::add);
    List<Diff> out = new ArrayList<>();
    for (String k : keys) {
      JsonNode x = left.get(k);
      JsonNode y = right.get(k);
      List<String> changes = new ArrayList<>();
      if (x == null) {
        changes.add("added in b");
      } else if (y == null) {
        changes.add("removed in b");
      } else {
        for (var e : x.properties()) {
          if (!e.getValue().equals(y.path(e.getKey()))) {
            changes.add(e.getKey() + " changed");
          }
        }
      }
      if (!changes.isEmpty()) {
        out.add(new Diff(k, "", "", true, changes));
      }
    }
    return out;
  }

  private static Map<String, JsonNode> byKey(JsonNode layers) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode l : layers) {
      out.put(key(l), l);
    }
    return out;
  }

  private static int indexOf(JsonNode layers, String key) {
    for (int i = 0; i < layers.size(); i++) {
      if (key(layers.get(i)).equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static String key(JsonNode layer) {
    String pack = text(layer.path("pack"));
    return pack.isEmpty() ? text(layer.path("name")) : pack;
  }

  private static String values(JsonNode layer) {
    return text(layer.path("values")).strip();
  }

  private static String text(JsonNode n) {
    return n.isNull() || n.isMissingNode() ? "" : n.asString("");
  }

  private static String orNone(String s) {
    return s.isEmpty() ? "(any)" : s;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private ConsoleApi.Answer getVersion(HttpServletRequest request, String name, String version) {
    return api.get(request, versionPath(name, version));
  }

  private static String versionPath(String name, String version) {
    return "/api/v1/profiles/" + Pages.q(name) + "/versions/" + Pages.q(version);
  }

  private static void showVersion(ConsoleApi.Answer a, List<String> typed, Model model) {
    JsonNode v = a.body();
    model.addAttribute("profile", v);
    model.addAttribute("etag", a.header("ETag").orElse(""));
    model.addAttribute("draft", v.path("state").asString("").equals("DRAFT"));
    List<String> values = new ArrayList<>();
    int i = 0;
    for (JsonNode l : v.path("layers")) {
      values.add(typed != null && i < typed.size() ? typed.get(i) : text(l.path("values")));
      i++;
    }
    model.addAttribute("values", values);
  }

  /** The stored definition with each layer's values as typed; view-only fields left out. */
  private static ObjectNode definition(JsonNode view, List<String> values) {
    ObjectNode d = JSON.createObjectNode();
    for (String f : List.of("name", "description", "type", "cloudType", "version")) {
      d.set(f, view.path(f).isMissingNode() ? JSON.nullNode() : view.path(f));
    }
    ArrayNode layers = JSON.createArrayNode();
    int i = 0;
    for (JsonNode l : view.path("layers")) {
      ObjectNode layer = ((ObjectNode) l).deepCopy();
      if (values != null && i < values.size()) {
        String v = values.get(i).replace("\r\n", "\n");
        if (v.isBlank()) {
          layer.putNull("values");
        } else {
          layer.put("values", v);
        }
      }
      layers.add(layer);
      i++;
    }
    d.set("layers", layers);
    d.set(
        "variables",
        view.path("variables").isArray() ? view.path("variables") : layers.arrayNode());
    return d;
  }

  /** Problems about a layer go beside that layer; the rest above the form. */
  private static void splitProblems(Map<String, String> problems, Model model) {
    Map<Integer, List<String>> byLayer = new LinkedHashMap<>();
    List<String> general = new ArrayList<>();
    problems.forEach(
        (field, message) -> {
          Matcher m = LAYER_FIELD.matcher(field);
          if (m.find()) {
            byLayer
                .computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>())
                .add(field + ": " + message);
          } else {
            general.add((field.isEmpty() ? "" : field + ": ") + message);
          }
        });
    model.addAttribute("layerProblems", byLayer);
    model.addAttribute("generalProblems", general);
  }

  /** Field errors with every {@code layers[...]} problem gathered under {@code layers}. */
  private static Map<String, String> topLevel(Map<String, String> errors, String listField) {
    Map<String, String> out = new LinkedHashMap<>();
    errors.forEach(
        (k, v) -> {
          if (k.startsWith(listField + "[")) {
            out.merge(listField, k + ": " + v, (x, y) -> x + "; " + y);
          } else {
            out.merge(k, v, (x, y) -> x + "; " + y);
          }
        });
    return out;
  }

  /** htmx follows {@code HX-Redirect}; a plain form post follows a 303. */
  private static String redirect(
      HttpServletRequest request, HttpServletResponse response, Model model, String to) {
    if (request.getHeader("HX-Request") != null) {
      response.setHeader("HX-Redirect", to);
      model.addAttribute("movedTo", to);
      return "console/packs/profiles :: moved";
    }
    return "redirect:" + to;
  }
}
