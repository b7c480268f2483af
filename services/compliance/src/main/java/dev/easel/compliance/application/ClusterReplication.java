package dev.easel.compliance.application;

import dev.easel.compliance.application.port.ClusterReplica;
import dev.easel.compliance.domain.scan.ScanTarget;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.packs.ProfilePublished;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Keeps compliance's copy of running clusters (their nodes and roles) and of each published
 * profile's Kubernetes version, from cluster-former's and pack-manager's events.
 */
@Component
public class ClusterReplication {

  private final ClusterReplica replica;

  public ClusterReplication(ClusterReplica replica) {
    this.replica = replica;
  }

  public void running(ClusterRunning e) {
    List<ScanTarget.Node> nodes = new ArrayList<>();
    for (ClusterRunning.ClusterMember m : e.members()) {
      nodes.add(new ScanTarget.Node(m.nodeId(), m.hostname(), m.role()));
    }
    if (nodes.isEmpty()) {
      // An event from before members were published: the nodes are known, not their roles.
      for (int i = 0; i < e.nodeIds().size(); i++) {
        UUID id = e.nodeIds().get(i);
        nodes.add(new ScanTarget.Node(id, id.toString(), i == 0 ? "init" : "worker"));
      }
    }
    replica.running(e.clusterId(), e.name(), e.profileName(), e.profileVersion(), nodes);
  }

  public void nodeAdded(UUID clusterId, UUID nodeId, String hostname, String role) {
    replica.nodeAdded(clusterId, new ScanTarget.Node(nodeId, hostname, role));
  }

  public void nodeRemoved(UUID clusterId, UUID nodeId) {
    replica.nodeRemoved(clusterId, nodeId);
  }

  public void deleted(UUID clusterId) {
    replica.deleted(clusterId);
  }

  /** Remembers the version of the profile's k8s layer. */
  public void profilePublished(ProfilePublished e) {
    for (ProfilePublished.ResolvedLayer l : e.layers()) {
      if ("k8s".equals(l.layer())) {
        replica.profile(e.name(), e.version(), l.version());
        return;
      }
    }
  }
}
