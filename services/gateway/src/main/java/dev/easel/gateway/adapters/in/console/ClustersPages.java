package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * Clusters: the list (live), the create wizard (name and tags, profile and its variables, profile
 * config, cluster config, node pools of free nodes past preflight, review, deploy) validated by the
 * API's dry run as the user types, and a cluster's page with its live progress and timeline, the
 * kubeconfig for admins, and the day-2 operations: add nodes, remove a node, delete.
 */
@Controller
class ClustersPages {

  static final int PAGE_SIZE = 50;

  /** The API's field of a problem, as the wizard's input it belongs to. */
  private static final Map<String, String> INPUTS =
      Map.ofEntries(
          Map.entry("name", "cluster-name"),
          Map.entry("tags", "cluster-tags"),
          Map.entry("kind", "cluster-kind"),
          Map.entry("profile", "cluster-profile"),
          Map.entry("profile.name", "cluster-profile"),
          Map.entry("profile.version", "cluster-profile"),
          Map.entry("config.podCidr", "pod-cidr"),
          Map.entry("config.serviceCidr", "service-cidr"),
          Map.entry("config.vip", "vip"),
          Map.entry("config.ntpServers", "ntp-servers"),
          Map.entry("config.sshKeys", "ssh-keys"),
          Map.entry("config.storagePoolDevice", "storage-pool-device"),
          Map.entry("config.csiPlacementCount", "csi-placement-count"),
          Map.entry("config.registry", "registry-mode"),
          Map.entry("config.registry.mode", "registry-mode"),
          Map.entry("config.registry.port", "registry-port"),
          Map.entry("config.registry.basePath", "registry-base-path"),
          Map.entry("config.registry.endpoint", "registry-endpoint"),
          Map.entry("config.registry.caCertificate", "registry-ca-certificate"),
          Map.entry("config.registry.username", "registry-username"),
          Map.entry("config.registry.password", "registry-password"),
          Map.entry("config.registry.storageGiB", "registry-storage-gib"));

  /** Every fixed input of the wizard that may carry an error. */
  private static final List<String> FIXED_INPUTS =
      List.of(
          "cluster-name",
          "cluster-tags",
          "cluster-kind",
          "cluster-profile",
          "pod-cidr",
          "service-cidr",
          "storage-pool-device",
          "csi-placement-count",
          "registry-mode",
          "registry-port",
          "registry-base-path",
          "registry-endpoint",
          "registry-ca-certificate",
          "registry-username",
          "registry-password",
          "registry-storage-gib",
          "ntp-servers",
          "ssh-keys",
          "vip",
          "cp-pool-name",
          "cp-allow-workloads",
          "worker-pool-name",
          "node-pools");

  private static final Pattern POOL_FIELD =
      Pattern.compile("nodePools\\[(\\d+)\\](?:\\.([A-Za-z]+)(?:\\[(\\d+)\\])?)?.*");

  /** How many free nodes a picker offers; a label selector narrows a larger fleet. */
  static final int FREE_NODES = 50;

  static final int PREFLIGHT_READS = 8;

  private static final ExecutorService PREFLIGHTS =
      Executors.newFixedThreadPool(
          PREFLIGHT_READS,
          r -> {
            Thread t = new Thread(r, "console-preflight");
            t.setDaemon(true);
            return t;
          });

  private final ConsoleApi api;

  ClustersPages(ConsoleApi api) {
    this.api = api;
  }

  // ------------------------------------------------------------------------------------------
  // The list
  // ------------------------------------------------------------------------------------------

  @GetMapping("/clusters")
  String list(
      @RequestParam(required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    rows(after, request, response, model);
    return "console/clusters/list";
  }

  @GetMapping("/clusters/rows")
  String rows(
      @RequestParam(required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    model.addAttribute("after", after == null ? "" : after);
    model.addAttribute("query", Pages.query(Pages.params("after", after)));
    ConsoleApi.Answer a =
        api.get(
            request,
            "/api/v1/clusters"
                + Pages.query(Pages.params("after", after, "limit", Integer.toString(PAGE_SIZE))));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("clusters", List.of());
      return "console/clusters/list :: rows";
    }
    List<Map<String, Object>> clusters = new ArrayList<>();
    for (JsonNode c : a.body().path("items")) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("c", c);
      row.put("nodeCount", nodeCount(c));
      clusters.add(row);
    }
    model.addAttribute("clusters", clusters);
    String next = a.body().path("next").asString("");
    model.addAttribute("next", next.isEmpty() ? null : next);
    return "console/clusters/list :: rows";
  }

  private static int nodeCount(JsonNode cluster) {
    int n = 0;
    for (JsonNode p : cluster.path("nodePools")) {
      n += p.path("nodes").size();
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // The create wizard
  // ------------------------------------------------------------------------------------------

  @GetMapping("/clusters/new")
  String wizard(
      @RequestParam(required = false) String profile,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("kind", "workload");
    form.add("cpPoolName", "control-plane-pool");
    form.add("cpAllowWorkloads", "true");
    form.add("workerPoolName", "worker-pool");
    form.add("registryMode", "in-cluster");
    form.add("csiPlacementCount", "1");
    if (profile != null) {
      form.add("profile", profile);
    }
    wizardModel(form, true, request, model);
    model.addAttribute("errors", Map.of());
    model.addAttribute("problems", List.of());
    return "console/clusters/new";
  }

  /** The variables of the profile version chosen in step 2, their defaults filled in. */
  @GetMapping("/clusters/new/variables")
  String variables(
      @RequestParam(defaultValue = "") String profile, HttpServletRequest request, Model model) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("profile", profile);
    List<JsonNode> published = publishedVersions(request, model);
    model.addAttribute("form", flat(form));
    model.addAttribute("variables", variablesOf(published, profile));
    model.addAttribute("fillDefaults", true);
    model.addAttribute("errors", Map.of());
    return "console/clusters/new :: variables";
  }

  /** Step 5's free nodes again, narrowed by the label selector typed there. */
  @GetMapping("/clusters/new/nodes")
  String nodePicker(
      @RequestParam MultiValueMap<String, String> form, HttpServletRequest request, Model model) {
    model.addAttribute("form", flat(form));
    model.addAttribute("picked", new LinkedHashSet<>(list(form, "nodes")));
    model.addAttribute("freeNodes", freeNodes(request, model));
    model.addAttribute("errors", Map.of());
    return "console/clusters/new :: nodePicker";
  }

  /** The dry run, as the user types: the review, and each problem next to its field. */
  @PostMapping("/clusters/validate")
  String validate(
      @RequestParam MultiValueMap<String, String> form,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    List<JsonNode> published = publishedVersions(request, model);
    List<JsonNode> variables = variablesOf(published, first(form, "profile"));
    Map<String, String> local = new LinkedHashMap<>();
    Built built = body(form, variables, local);
    ConsoleApi.Answer a = api.send(request, "POST", "/api/v1/clusters/validate", built.body());
    review(a, built, local, variables, form, model);
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("errors", mapped(a, built, local, model));
    }
    return "console/clusters/new :: review";
  }

  /** Deploy: creates the cluster and goes to its page, or shows every problem. */
  @PostMapping("/clusters")
  String create(
      @RequestParam MultiValueMap<String, String> form,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    boolean htmx = request.getHeader("HX-Request") != null;
    List<JsonNode> published = publishedVersions(request, model);
    List<JsonNode> variables = variablesOf(published, first(form, "profile"));
    Map<String, String> local = new LinkedHashMap<>();
    Built built = body(form, variables, local);
    ConsoleApi.Answer a;
    if (local.isEmpty()) {
      a = api.send(request, "POST", "/api/v1/clusters", built.body());
      if (a.ok()) {
        String to = "/clusters/" + Pages.q(a.body().path("id").asString(""));
        if (htmx) {
          response.setHeader("HX-Redirect", to);
          model.addAttribute("deployedTo", to);
          return "console/clusters/new :: deployed";
        }
        return "redirect:" + to;
      }
    } else {
      a = api.send(request, "POST", "/api/v1/clusters/validate", built.body());
    }
    if (a.ok()) {
      // Only the console's own checks refused it: the dry run answered the rest.
      review(a, built, local, variables, form, model);
      model.addAttribute("error", local.size() + " problem(s) to fix before it can be deployed");
      response.setStatus(422);
    } else {
      Pages.refused(a, model, response);
      review(a, built, local, variables, form, model);
      model.addAttribute("errors", mapped(a, built, local, model));
    }
    model.addAttribute("deployRefused", true);
    if (htmx) {
      return "console/clusters/new :: review";
    }
    wizardModel(form, false, request, model);
    return "console/clusters/new";
  }

  /** What the API was sent, and which pool and node each {@code nodePools[i].nodes[j]} is. */
  private record Built(Map<String, Object> body, List<List<String>> poolNodes) {}

  private Built body(
      MultiValueMap<String, String> form, List<JsonNode> declared, Map<String, String> local) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", blankToNull(first(form, "name")));
    Map<String, String> tags = new LinkedHashMap<>();
    int line = 0;
    for (String raw : first(form, "tags").split("\n")) {
      line++;
      String l = raw.strip();
      if (l.isEmpty()) {
        continue;
      }
      int eq = l.indexOf('=');
      if (eq <= 0) {
        local.put("cluster-tags", "line " + line + " is not key=value: " + l);
        continue;
      }
      tags.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
    }
    body.put("tags", tags);
    body.put("kind", blankToNull(first(form, "kind")));
    String profile = first(form, "profile");
    int colon = profile.lastIndexOf(':');
    if (colon > 0) {
      body.put(
          "profile",
          Map.of("name", profile.substring(0, colon), "version", profile.substring(colon + 1)));
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (JsonNode v : declared) {
      String name = v.path("name").asString("");
      String value = first(form, "var." + name);
      if (!value.isBlank()) {
        variables.put(name, value.strip());
      }
    }
    body.put("variables", variables);

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("podCidr", blankToNull(first(form, "podCidr")));
    config.put("serviceCidr", blankToNull(first(form, "serviceCidr")));
    config.put("vip", blankToNull(first(form, "vip")));
    config.put("ntpServers", lines(first(form, "ntpServers")));
    config.put("sshKeys", lines(first(form, "sshKeys")));
    config.put("storagePoolDevice", blankToNull(first(form, "storagePoolDevice")));
    config.put(
        "csiPlacementCount", integer(form, "csiPlacementCount", "csi-placement-count", local));
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("mode", blankToNull(first(form, "registryMode")));
    registry.put("port", integer(form, "registryPort", "registry-port", local));
    registry.put("basePath", blankToNull(first(form, "registryBasePath")));
    registry.put("endpoint", blankToNull(first(form, "registryEndpoint")));
    registry.put("caCertificate", blankToNull(first(form, "registryCaCertificate")));
    registry.put("username", blankToNull(first(form, "registryUsername")));
    registry.put("password", blankToNull(first(form, "registryPassword")));
    registry.put("storageGiB", integer(form, "registryStorageGiB", "registry-storage-gib", local));
    config.put("registry", registry);
    body.put("config", config);

    List<String> controlPlane = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    for (String id : new LinkedHashSet<>(list(form, "nodes"))) {
      if ("worker".equals(first(form, "role-" + id))) {
        workers.add(id);
      } else {
        controlPlane.add(id);
      }
    }
    List<Map<String, Object>> pools = new ArrayList<>();
    List<List<String>> poolNodes = new ArrayList<>();
    Map<String, Object> cp = new LinkedHashMap<>();
    cp.put("name", blankToNull(first(form, "cpPoolName")));
    cp.put("role", "control-plane");
    cp.put("allowWorkloads", "true".equals(first(form, "cpAllowWorkloads")));
    cp.put("nodes", controlPlane);
    pools.add(cp);
    poolNodes.add(controlPlane);
    if (!workers.isEmpty()) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("name", blankToNull(first(form, "workerPoolName")));
      w.put("role", "worker");
      w.put("allowWorkloads", true);
      w.put("nodes", workers);
      pools.add(w);
      poolNodes.add(workers);
    }
    body.put("nodePools", pools);
    return new Built(body, poolNodes);
  }

  /**
   * The review of a dry run: the problems as a list, the profile, config and pools it would use.
   */
  private void review(
      ConsoleApi.Answer a,
      Built built,
      Map<String, String> local,
      List<JsonNode> variables,
      MultiValueMap<String, String> form,
      Model model) {
    model.addAttribute("verdict", a.ok() ? a.body() : null);
    model.addAttribute("sent", built.body());
    List<String> keys = new ArrayList<>(FIXED_INPUTS);
    for (JsonNode v : variables) {
      keys.add("var-" + v.path("name").asString(""));
    }
    for (String id : list(form, "listedNode")) {
      keys.add("node-" + id);
    }
    model.addAttribute("errorKeys", keys);
    model.addAttribute("errors", mapped(a, built, local, model));
  }

  /**
   * The API's problems keyed by the wizard's input ids (merged per input), with the console's own,
   * and puts every problem in {@code problems} for the summary, each with the input it points at.
   */
  private static Map<String, String> mapped(
      ConsoleApi.Answer a, Built built, Map<String, String> local, Model model) {
    Map<String, String> errors = new LinkedHashMap<>(local);
    List<Map<String, String>> problems = new ArrayList<>();
    local.forEach(
        (input, message) ->
            problems.add(Map.of("field", input, "message", message, "input", input)));
    for (String list : new String[] {"problems", "errors"}) {
      for (JsonNode p : a.body().path(list)) {
        String field = p.path("field").asString("");
        String message = p.path("message").asString("");
        String input = inputOf(field, built);
        problems.add(Map.of("field", field, "message", message, "input", input));
        if (!input.isEmpty()) {
          errors.merge(input, message, (x, y) -> x + "; " + y);
        }
      }
    }
    model.addAttribute("problems", problems);
    return errors;
  }

  private static String inputOf(String field, Built built) {
    String input = INPUTS.get(field);
    if (input != null) {
      return input;
    }
    if (field.startsWith("variables.")) {
      return "var-" + field.substring("variables.".length());
    }
    if (field.startsWith("config.ntpServers")) {
      return "ntp-servers";
    }
    if (field.startsWith("config.sshKeys")) {
      return "ssh-keys";
    }
    if (field.startsWith("tags")) {
      return "cluster-tags";
    }
    Matcher m = POOL_FIELD.matcher(field);
    if (m.matches()) {
      int pool = Integer.parseInt(m.group(1));
      String part = m.group(2) == null ? "" : m.group(2);
      if (part.equals("nodes") && m.group(3) != null && pool < built.poolNodes().size()) {
        List<String> ids = built.poolNodes().get(pool);
        int j = Integer.parseInt(m.group(3));
        if (j < ids.size()) {
          return "node-" + ids.get(j);
        }
      }
      if (part.equals("name")) {
        return pool == 0 ? "cp-pool-name" : "worker-pool-name";
      }
      if (part.equals("allowWorkloads") && pool == 0) {
        return "cp-allow-workloads";
      }
      return "node-pools";
    }
    if (field.startsWith("nodePools")) {
      return "node-pools";
    }
    return "";
  }

  private void wizardModel(
      MultiValueMap<String, String> form,
      boolean fillDefaults,
      HttpServletRequest request,
      Model model) {
    List<JsonNode> published = publishedVersions(request, model);
    List<String> choices = new ArrayList<>();
    for (JsonNode v : published) {
      choices.add(v.path("name").asString("") + ":" + v.path("version").asString(""));
    }
    if (first(form, "profile").isEmpty() && !choices.isEmpty()) {
      form.set("profile", choices.get(0));
    }
    Map<String, String> flat = flat(form);
    model.addAttribute("form", flat);
    model.addAttribute("profiles", published);
    model.addAttribute("variables", variablesOf(published, flat.get("profile")));
    model.addAttribute("fillDefaults", fillDefaults);
    model.addAttribute("picked", new LinkedHashSet<>(list(form, "nodes")));
    model.addAttribute("freeNodes", freeNodes(request, model));
  }

  /** Every PUBLISHED profile version, newest profile versions as pack-manager lists them. */
  private List<JsonNode> publishedVersions(HttpServletRequest request, Model model) {
    List<JsonNode> out = new ArrayList<>();
    ConsoleApi.Answer profiles = api.get(request, "/api/v1/profiles");
    if (!profiles.ok()) {
      model.addAttribute("profilesError", profiles.detail());
      return out;
    }
    JsonNode items = profiles.body().isArray() ? profiles.body() : profiles.body().path("items");
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode p : items) {
      names.add(p.path("name").asString(""));
    }
    for (String name : names) {
      ConsoleApi.Answer versions =
          api.get(request, "/api/v1/profiles/" + Pages.q(name) + "/versions");
      if (!versions.ok()) {
        continue;
      }
      JsonNode vs = versions.body().isArray() ? versions.body() : versions.body().path("items");
      for (JsonNode v : vs) {
        if ("PUBLISHED".equals(v.path("state").asString(""))
            && !"add-on".equals(v.path("type").asString(""))) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static List<JsonNode> variablesOf(List<JsonNode> published, String choice) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode v : published) {
      String key = v.path("name").asString("") + ":" + v.path("version").asString("");
      if (key.equals(choice)) {
        v.path("variables").forEach(out::add);
      }
    }
    return out;
  }

  /**
   * The first {@value #FREE_NODES} READY nodes, each with its preflight; only those that pass may
   * be picked. The preflights are read {@value #PREFLIGHT_READS} at a time: one after another,
   * fifty of them took seconds on a loaded machine.
   */
  private List<Map<String, Object>> freeNodes(HttpServletRequest request, Model model) {
    List<Map<String, Object>> out = new ArrayList<>();
    Object form = model.getAttribute("form");
    String selector =
        form instanceof Map<?, ?> m && m.get("nodeSelector") instanceof String sel ? sel : "";
    ConsoleApi.Answer a =
        api.get(
            request,
            "/api/v1/nodes"
                + Pages.query(
                    Pages.params(
                        "state",
                        "READY",
                        "pageSize",
                        Integer.toString(FREE_NODES),
                        "selector",
                        selector)));
    if (!a.ok()) {
      model.addAttribute("nodesError", a.detail());
      return out;
    }
    List<CompletableFuture<Map<String, Object>>> rows = new ArrayList<>();
    for (JsonNode n : a.body().path("nodes")) {
      rows.add(CompletableFuture.supplyAsync(() -> preflightRow(request, n), PREFLIGHTS));
    }
    for (CompletableFuture<Map<String, Object>> row : rows) {
      out.add(row.join());
    }
    return out;
  }

  private Map<String, Object> preflightRow(HttpServletRequest request, JsonNode n) {
    String id = n.path("id").asString("");
    ConsoleApi.Answer pf = api.get(request, "/api/v1/nodes/" + Pages.q(id) + "/preflight");
    Map<String, Object> row = new HashMap<>();
    row.put("node", n);
    row.put("id", id);
    boolean passed = pf.ok() && pf.body().path("passed").asBoolean(false);
    row.put("passed", passed);
    List<String> failed = new ArrayList<>();
    if (!pf.ok()) {
      failed.add("no preflight result: " + pf.detail());
    }
    for (JsonNode c : pf.body().path("checks")) {
      if (!c.path("passed").asBoolean(false)) {
        failed.add(c.path("name").asString("") + ": " + c.path("reason").asString(""));
      }
    }
    row.put("failed", String.join("; ", failed));
    return row;
  }

  // ------------------------------------------------------------------------------------------
  // A cluster
  // ------------------------------------------------------------------------------------------

  @GetMapping("/clusters/{id}")
  String cluster(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    if (!live(id, request, response, model)) {
      return "console/error";
    }
    actions(request, model);
    return "console/clusters/cluster";
  }

  /** The live part: state, health, progress, nodes with their current step, the timeline. */
  @GetMapping("/clusters/{id}/live")
  String livePart(
      @PathVariable String id,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    live(id, request, response, model);
    return "console/clusters/cluster :: live";
  }

  private boolean live(
      String id, HttpServletRequest request, HttpServletResponse response, Model model) {
    model.addAttribute("id", id);
    ConsoleApi.Answer a = api.get(request, "/api/v1/clusters/" + Pages.q(id));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      model.addAttribute("cluster", null);
      return false;
    }
    JsonNode c = a.body();
    model.addAttribute("cluster", c);
    Map<String, String> hostnames = new HashMap<>();
    for (JsonNode p : c.path("nodePools")) {
      for (JsonNode n : p.path("nodes")) {
        hostnames.put(n.path("id").asString(""), n.path("hostname").asString(""));
      }
    }
    model.addAttribute("hostnames", hostnames);
    ConsoleApi.Answer t = api.get(request, "/api/v1/clusters/" + Pages.q(id) + "/timeline");
    List<JsonNode> entries = new ArrayList<>();
    Map<String, JsonNode> current = new HashMap<>();
    int percent = c.path("progress").asInt(0);
    if (t.ok()) {
      percent = t.body().path("percent").asInt(percent);
      for (JsonNode e : t.body().path("entries")) {
        entries.add(e);
        if (!e.path("step").asString("").isEmpty()) {
          for (JsonNode n : e.path("nodes")) {
            current.put(n.asString(""), e);
          }
        }
      }
    } else {
      model.addAttribute("timelineError", t.detail());
    }
    model.addAttribute("percent", Math.max(0, Math.min(100, percent)));
    model.addAttribute("entries", entries);
    model.addAttribute("currentStep", current);
    String state = c.path("state").asString("");
    model.addAttribute("serving", state.equals("RUNNING") || state.equals("DEGRADED"));
    return true;
  }

  /**
   * Free nodes for the add-nodes form: only for those who may use it, and only while the cluster
   * serves (the form shows then), so a forming cluster's page reads nothing more.
   */
  private void actions(HttpServletRequest request, Model model) {
    if (Boolean.TRUE.equals(model.getAttribute("canOperate"))
        && Boolean.TRUE.equals(model.getAttribute("serving"))) {
      model.addAttribute("freeNodes", freeNodes(request, model));
    } else {
      model.addAttribute("freeNodes", List.of());
    }
    if (!model.containsAttribute("errors")) {
      model.addAttribute("errors", Map.of());
    }
  }

  /** Day 2: adds the picked free nodes to a pool of a running cluster. */
  @PostMapping("/clusters/{id}/pool-nodes")
  String addNodes(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String pool,
      @RequestParam(name = "nodes", required = false) List<String> nodes,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("nodes", nodes == null ? List.of() : nodes);
    ConsoleApi.Answer a =
        api.send(
            request,
            "POST",
            "/api/v1/clusters/" + Pages.q(id) + "/pools/" + Pages.q(pool) + "/nodes",
            body);
    if (a.ok()) {
      model.addAttribute(
          "done",
          "Adding " + (nodes == null ? 0 : nodes.size()) + " node(s) to pool " + pool + ".");
    } else {
      model.addAttribute("picked", nodes == null ? Set.of() : new LinkedHashSet<>(nodes));
    }
    return dayTwo(id, a, request, response, model);
  }

  /** Day 2: drains, resets and frees one node. */
  @PostMapping("/clusters/{id}/nodes/{nodeId}/remove")
  String removeNode(
      @PathVariable String id,
      @PathVariable String nodeId,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "DELETE",
            "/api/v1/clusters/" + Pages.q(id) + "/nodes/" + Pages.q(nodeId),
            null);
    if (a.ok()) {
      model.addAttribute("done", "Removing the node: it is drained, reset and freed.");
    }
    return dayTwo(id, a, request, response, model);
  }

  /** Day 2: deletes the cluster, or with {@code force} frees its nodes at once. */
  @PostMapping("/clusters/{id}/delete")
  String delete(
      @PathVariable String id,
      @RequestParam(defaultValue = "false") boolean force,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    ConsoleApi.Answer a =
        api.send(
            request,
            "DELETE",
            "/api/v1/clusters/" + Pages.q(id) + (force ? "?force=true" : ""),
            null);
    if (a.ok()) {
      model.addAttribute(
          "done",
          force
              ? "Force-deleting: the nodes are freed now and reset when next seen."
              : "Deleting: every node is reset and freed.");
    }
    return dayTwo(id, a, request, response, model);
  }

  private String dayTwo(
      String id,
      ConsoleApi.Answer a,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    boolean htmx = request.getHeader("HX-Request") != null;
    if (a.ok() && !htmx) {
      return "redirect:/clusters/" + Pages.q(id);
    }
    if (!a.ok()) {
      Pages.refused(a, model, response);
      Map<String, String> errors = new LinkedHashMap<>();
      a.fieldErrors()
          .forEach(
              (field, message) ->
                  errors.merge(
                      field.startsWith("pool") ? "add-pool" : "add-nodes",
                      message,
                      (x, y) -> x + "; " + y));
      model.addAttribute("errors", errors);
    }
    int status = response.getStatus();
    boolean found = live(id, request, response, model);
    if (!a.ok()) {
      response.setStatus(status);
    }
    actions(request, model);
    if (!found && !htmx) {
      return "console/error";
    }
    return htmx ? "console/clusters/cluster :: actions" : "console/clusters/cluster";
  }

  // ------------------------------------------------------------------------------------------
  // Form helpers
  // ------------------------------------------------------------------------------------------

  private static String first(MultiValueMap<String, String> form, String key) {
    String v = form.getFirst(key);
    return v == null ? "" : v;
  }

  private static List<String> list(MultiValueMap<String, String> form, String key) {
    List<String> v = form.get(key);
    return v == null ? List.of() : v;
  }

  /** The form's single values, for re-rendering it; the registry password is never echoed. */
  private static Map<String, String> flat(MultiValueMap<String, String> form) {
    Map<String, String> out = new HashMap<>();
    form.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    out.remove("registryPassword");
    out.remove("_csrf");
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }

  private static Integer integer(
      MultiValueMap<String, String> form, String key, String input, Map<String, String> local) {
    String v = first(form, key).strip();
    if (v.isEmpty()) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      local.put(input, "must be a whole number");
      return null;
    }
  }
}
