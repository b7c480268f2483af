package dev.easel.clusters.adapters.in.web;

import dev.easel.clusters.application.ClusterQueries;
import dev.easel.clusters.application.DayTwo;
import dev.easel.clusters.application.Deleting;
import dev.easel.clusters.application.Forming;
import dev.easel.clusters.application.Validating;
import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.config.NodePoolSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Clusters: create (and a dry run that answers every problem at once), list, read, follow the
 * formation's timeline live, fetch the kubeconfig, and delete.
 */
@RestController
@RequestMapping(path = "/api/v1/clusters", produces = MediaType.APPLICATION_JSON_VALUE)
class ClustersController {

  private final Validating validating;
  private final Forming forming;
  private final Deleting deleting;
  private final ClusterQueries queries;
  private final TimelineStreams streams;
  private final DayTwo dayTwo;

  ClustersController(
      Validating validating,
      Forming forming,
      Deleting deleting,
      ClusterQueries queries,
      TimelineStreams streams,
      DayTwo dayTwo) {
    this.validating = validating;
    this.forming = forming;
    this.deleting = deleting;
    this.queries = queries;
    this.streams = streams;
    this.dayTwo = dayTwo;
  }

  /** Which nodes to add to a pool: explicit ids, or a selector over free nodes with a count. */
  record AddNodesBody(List<UUID> nodes, String selector, Integer count) {}

  /**
   * Adds nodes to a running cluster's pool: 202, and they join; 422 with every problem; 409 when
   * the cluster is not running or busy.
   */
  @PostMapping(path = "/{id}/pools/{pool}/nodes", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> addNodes(
      @PathVariable UUID id, @PathVariable String pool, @RequestBody AddNodesBody body) {
    Cluster c =
        dayTwo.addNodes(
            id,
            new dev.easel.clusters.domain.ClusterRequest.PoolRequest(
                pool, null, null, body.nodes(), body.selector(), body.count(), null, null));
    return ResponseEntity.accepted().body(ClusterViews.cluster(c, 0));
  }

  /**
   * Takes a node out of a running cluster: drained, deleted from Kubernetes, reset and freed. 409
   * for the init node, for a control plane that would be left even, or a busy cluster.
   */
  @DeleteMapping("/{id}/nodes/{nodeId}")
  ResponseEntity<Map<String, Object>> removeNode(@PathVariable UUID id, @PathVariable UUID nodeId) {
    Cluster c = dayTwo.removeNode(id, nodeId);
    return ResponseEntity.accepted().body(ClusterViews.cluster(c, 0));
  }

  /**
   * Creates a cluster and starts forming it: 202 with the cluster, PROVISIONING. Every problem of
   * the request is answered at once as a 422; a taken name or a second management cluster is 409.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody ClusterBody body) {
    Cluster c = forming.create(body.toRequest(), body.registryPassword());
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/clusters/" + c.id()))
        .body(ClusterViews.cluster(c, 0));
  }

  /** Clusters in creation order, a page at a time; deleted ones only with {@code deleted=true}. */
  @GetMapping
  Map<String, Object> list(
      @RequestParam(required = false) UUID after,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "false") boolean deleted) {
    List<Cluster> page = queries.list(after, limit, deleted);
    List<Map<String, Object>> items = new ArrayList<>();
    for (Cluster c : page) {
      items.add(ClusterViews.cluster(c, percent(c)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    int size = Math.max(1, Math.min(limit, ClusterQueries.MAX_PAGE));
    out.put("next", page.size() == size ? page.get(page.size() - 1).id() : null);
    return out;
  }

  @GetMapping("/{id}")
  Map<String, Object> one(@PathVariable UUID id) {
    Cluster c = queries.find(id).orElseThrow(() -> new Deleting.NotFound(id));
    return ClusterViews.cluster(c, percent(c));
  }

  /** The timeline, oldest first, after {@code after} (an entry's {@code seq}). */
  @GetMapping("/{id}/timeline")
  Map<String, Object> timeline(
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "1000") int limit) {
    Cluster c = queries.find(id).orElseThrow(() -> new Deleting.NotFound(id));
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Timeline.Entry e : queries.timeline(id, after, limit)) {
      entries.add(ClusterViews.entry(e));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clusterId", id);
    out.put("state", c.state().name());
    out.put("percent", percent(c));
    out.put("entries", entries);
    return out;
  }

  /** The timeline as Server-Sent Events, live; resumes after {@code Last-Event-ID}. */
  @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      @PathVariable UUID id,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    queries.find(id).orElseThrow(() -> new Deleting.NotFound(id));
    long after = 0;
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        after = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException e) {
        throw new Problems.BadLastEventId(lastEventId);
      }
    }
    return streams.open(id, after);
  }

  /** The admin kubeconfig, its server the VIP. A credential: served, never logged. */
  @GetMapping(path = "/{id}/kubeconfig", produces = "application/yaml")
  ResponseEntity<String> kubeconfig(@PathVariable UUID id) {
    String yaml = queries.kubeconfig(id);
    return ResponseEntity.ok()
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-kubeconfig.yaml\"")
        .contentType(MediaType.parseMediaType("application/yaml"))
        .body(yaml);
  }

  /**
   * Deletes a cluster: 202, DELETING, then DELETED when every node was reset and freed. With {@code
   * force=true} the nodes are freed at once and reset when node-discovery next sees them.
   */
  @DeleteMapping("/{id}")
  ResponseEntity<Map<String, Object>> delete(
      @PathVariable UUID id, @RequestParam(defaultValue = "false") boolean force) {
    Cluster c = deleting.delete(id, force);
    return ResponseEntity.accepted().body(ClusterViews.cluster(c, 0));
  }

  private int percent(Cluster c) {
    return queries.percent(c.id());
  }

  /**
   * Validates a cluster request and changes nothing. The answer is 200 whether or not the request
   * is valid: {@code valid}, every problem with its field, and the nodes each pool would take.
   */
  @PostMapping(path = "/validate", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> validate(@RequestBody ClusterBody body) {
    Validating.Verdict v = validating.validate(body.toRequest());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valid", v.valid());
    out.put("problems", v.problems());
    List<Map<String, Object>> pools = new ArrayList<>();
    for (NodePoolSpec p : v.pools()) {
      Map<String, Object> pool = new LinkedHashMap<>();
      pool.put("name", p.name());
      pool.put("role", p.role() == NodePoolSpec.Role.CONTROL_PLANE ? "control-plane" : "worker");
      pool.put("allowWorkloads", p.allowWorkloads());
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (UUID id : p.nodeIds()) {
        KnownNode n = v.nodes().get(id);
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", id);
        node.put("hostname", n == null ? null : n.hostname());
        node.put("state", n == null ? "UNKNOWN" : n.stateName());
        nodes.add(node);
      }
      pool.put("nodes", nodes);
      pools.add(pool);
    }
    out.put("nodePools", pools);
    if (v.profile() != null) {
      Map<String, Object> profile = new LinkedHashMap<>();
      profile.put("name", v.profile().name());
      profile.put("version", v.profile().version());
      profile.put("cloudType", v.profile().cloudType());
      profile.put("kubernetesVersion", v.profile().kubernetesVersion());
      out.put("profile", profile);
    }
    if (v.config() != null) {
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("podCidr", v.config().podCidr());
      config.put("serviceCidr", v.config().serviceCidr());
      config.put("csiPlacementCount", v.config().csiPlacementCount());
      out.put("effectiveConfig", config);
    }
    return out;
  }
}
