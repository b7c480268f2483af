package dev.easel.clusters.adapters.in.web;

import dev.easel.clusters.application.port.Timeline;
import dev.easel.clusters.domain.cluster.Cluster;
import dev.easel.clusters.domain.cluster.Member;
import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.RegistryConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Clusters as the API shows them: never a secret, the registry password included. */
final class ClusterViews {

  private ClusterViews() {}

  static Map<String, Object> cluster(Cluster c, int percent) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", c.id());
    out.put("name", c.name());
    out.put("tags", c.tags());
    out.put("kind", c.kind());
    out.put("state", c.state().name());
    out.put(
        "health",
        c.state().serving() ? (c.unreachable().isEmpty() ? "healthy" : "degraded") : "unknown");
    out.put("unreachableNodes", c.unreachable());
    out.put("progress", percent);
    out.put("profile", Map.of("name", c.profileName(), "version", c.profileVersion()));
    out.put("config", config(c.config()));
    List<Map<String, Object>> pools = new ArrayList<>();
    for (Cluster.Pool p : c.pools()) {
      Map<String, Object> pool = new LinkedHashMap<>();
      pool.put("name", p.name());
      pool.put("role", p.role());
      pool.put("allowWorkloads", p.allowWorkloads());
      pool.put("labels", p.labels());
      pool.put("taints", p.taints());
      List<Map<String, Object>> nodes = new ArrayList<>();
      for (Member m : c.members()) {
        if (m.pool().equals(p.name())) {
          Map<String, Object> node = new LinkedHashMap<>();
          node.put("id", m.nodeId());
          node.put("hostname", m.hostname());
          node.put("role", m.role().kairosName());
          node.put("reachable", !c.unreachable().contains(m.nodeId()));
          nodes.add(node);
        }
      }
      pool.put("nodes", nodes);
      pools.add(pool);
    }
    out.put("nodePools", pools);
    if (c.failure() != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("step", c.failure().step());
      f.put("node", c.failure().node());
      f.put("reason", c.failure().reason());
      f.put("output", c.failure().output());
      out.put("failure", f);
    }
    out.put("sagaId", c.sagaId());
    out.put("createdAt", c.createdAt());
    out.put("updatedAt", c.updatedAt());
    return out;
  }

  static Map<String, Object> config(ClusterConfig c) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (c == null) {
      return out;
    }
    out.put("podCidr", c.podCidr());
    out.put("serviceCidr", c.serviceCidr());
    out.put("vip", c.vip());
    out.put("ntpServers", c.ntpServers());
    out.put("sshKeys", c.sshKeys());
    out.put("storagePoolDevice", c.storagePoolDevice());
    out.put("csiPlacementCount", c.csiPlacementCount());
    RegistryConfig r = c.registry();
    if (r != null) {
      Map<String, Object> reg = new LinkedHashMap<>();
      reg.put("mode", r.mode() == RegistryConfig.Mode.EXTERNAL ? "external" : "in-cluster");
      reg.put("port", r.port());
      reg.put("basePath", r.basePath());
      reg.put("endpoint", r.endpoint());
      reg.put("username", r.username());
      reg.put("passwordSet", r.passwordSet());
      reg.put("storageGiB", r.storageGiB());
      out.put("registry", reg);
    }
    return out;
  }

  static Map<String, Object> entry(Timeline.Entry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", e.seq());
    out.put("at", e.at());
    out.put("operation", e.operation());
    out.put("step", e.step());
    out.put("nodes", e.nodes());
    out.put("node", e.nodes().size() == 1 ? e.nodes().get(0) : null);
    out.put("state", e.state());
    out.put("message", e.message());
    out.put("percent", e.percent());
    return out;
  }
}
