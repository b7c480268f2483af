package dev.easel.clusters.application.port;

import dev.easel.clusters.domain.cluster.Cluster;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where clusters are kept, with their sealed secrets and kubeconfig. */
public interface ClusterStore {

  /** A name or the one management cluster is taken by a cluster that is not deleted. */
  final class Taken extends RuntimeException {
    private final String what;

    public Taken(String what, String message) {
      super(message);
      this.what = what;
    }

    /** {@code name}, {@code management} or {@code vip}. */
    public String what() {
      return what;
    }
  }

  /**
   * Stores a new cluster, its members and its sealed secrets.
   *
   * @throws Taken when its name, or the management cluster, is taken
   */
  void insert(Cluster cluster, byte[] sealedSecrets);

  /** Writes a changed cluster; its members are kept as they were. */
  void update(Cluster cluster);

  Optional<Cluster> find(UUID id);

  /** The cluster, locked until the caller's transaction ends. */
  Optional<Cluster> lock(UUID id);

  /** Clusters in creation order, after a cursor; deleted ones only when asked. */
  List<Cluster> list(UUID after, int limit, boolean includeDeleted);

  /** The clusters, not deleted, that have this node as a member, locked. */
  List<Cluster> lockServing(UUID nodeId);

  byte[] secrets(UUID id);

  void keepKubeconfig(UUID id, byte[] sealed);

  Optional<byte[]> kubeconfig(UUID id);

  /** The cluster, not deleted, whose control plane answers on this VIP. */
  Optional<String> clusterUsingVip(String vip);

  /** Records that these nodes serve the cluster too. */
  void addMembers(UUID id, java.util.Collection<UUID> nodeIds);

  /** Forgets that these nodes serve the cluster. */
  void removeMembers(UUID id, java.util.Collection<UUID> nodeIds);

  /** Forgets which nodes a deleted cluster had, so that they may serve another. */
  void dropMembers(UUID id);
}
