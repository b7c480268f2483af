package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.scan.ScanTarget;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * compliance's own copy of what it needs of cluster-former's clusters and pack-manager's profiles:
 * each running cluster's nodes and roles, and the Kubernetes version of its profile.
 */
public interface ClusterReplica {

  /** A cluster became running, with its nodes; replaces what was known of it. */
  void running(
      UUID clusterId,
      String name,
      String profileName,
      String profileVersion,
      List<ScanTarget.Node> nodes);

  void nodeAdded(UUID clusterId, ScanTarget.Node node);

  void nodeRemoved(UUID clusterId, UUID nodeId);

  /** The cluster is gone; its scans and schedules stay as history. */
  void deleted(UUID clusterId);

  /** A published profile version's Kubernetes version (its k8s layer's pack version). */
  void profile(String name, String version, String kubernetesVersion);

  /** A running cluster, with the Kubernetes version of its profile when known. */
  Optional<ScanTarget> find(UUID clusterId);
}
