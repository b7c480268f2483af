package dev.easel.clusters.adapters.in.web;

import dev.easel.clusters.application.Validating;
import dev.easel.clusters.domain.KnownNode;
import dev.easel.clusters.domain.config.NodePoolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Clusters: a dry run of a cluster request, which answers every problem at once. */
@RestController
@RequestMapping(path = "/api/v1/clusters", produces = MediaType.APPLICATION_JSON_VALUE)
class ClustersController {

  private final Validating validating;

  ClustersController(Validating validating) {
    this.validating = validating;
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
