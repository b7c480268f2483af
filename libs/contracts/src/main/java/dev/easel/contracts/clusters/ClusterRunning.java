package dev.easel.contracts.clusters;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cluster was formed: every node joined and is Ready, its layers are applied, and its kubeconfig
 * is kept.
 *
 * @param members each node with its host name and role ({@code init}, {@code controlplane} or
 *     {@code worker}); empty in events published before it was added
 * @param profileName the profile it was formed from
 * @param profileVersion that profile's version
 */
@Contract(
    value = "dev.easel.clusters.ClusterRunning.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster was formed and every node is Ready.")
public record ClusterRunning(
    UUID clusterId,
    String name,
    String kind,
    List<UUID> nodeIds,
    List<ClusterMember> members,
    String profileName,
    String profileVersion,
    Instant at) {

  public ClusterRunning {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** A node of the cluster and its role. */
  public record ClusterMember(UUID nodeId, String hostname, String pool, String role) {}
}
