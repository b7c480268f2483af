package dev.easel.clusters.domain.formation;

import dev.easel.clusters.domain.cluster.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The formation saga's data: which node does what, and what the steps learned. It holds no secret
 * in the clear: plans are rendered from the cluster when they are sent, and the kubeconfig is kept
 * sealed.
 *
 * @param clusterId the cluster
 * @param reservationId the reservation that holds its nodes in node-discovery
 * @param init the node that runs {@code kubeadm init}
 * @param controlPlanes the other control-plane nodes
 * @param workers the worker nodes
 * @param healthOutput what the health check printed
 * @param sealedKubeconfig the admin kubeconfig, sealed, base64
 * @param failure why the saga is undoing its work, when it is
 */
public record Formation(
    UUID clusterId,
    String reservationId,
    UUID init,
    List<UUID> controlPlanes,
    List<UUID> workers,
    String healthOutput,
    String sealedKubeconfig,
    Failure failure) {

  public Formation {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(init, "init");
    controlPlanes = controlPlanes == null ? List.of() : List.copyOf(controlPlanes);
    workers = workers == null ? List.of() : List.copyOf(workers);
  }

  public static Formation of(
      UUID clusterId, UUID init, List<UUID> controlPlanes, List<UUID> workers) {
    return new Formation(
        clusterId, reservationOf(clusterId), init, controlPlanes, workers, null, null, null);
  }

  /** The reservation that holds a cluster's nodes while it is formed. */
  public static String reservationOf(UUID clusterId) {
    return "cluster-" + clusterId;
  }

  /** Every node, the init node first. */
  public List<UUID> nodes() {
    List<UUID> all = new ArrayList<>();
    all.add(init);
    all.addAll(controlPlanes);
    all.addAll(workers);
    return all;
  }

  public Formation withHealthOutput(String output) {
    return new Formation(
        clusterId, reservationId, init, controlPlanes, workers, output, sealedKubeconfig, failure);
  }

  public Formation withKubeconfig(String sealed) {
    return new Formation(
        clusterId, reservationId, init, controlPlanes, workers, healthOutput, sealed, failure);
  }

  public Formation failedWith(Failure why) {
    return new Formation(
        clusterId,
        reservationId,
        init,
        controlPlanes,
        workers,
        healthOutput,
        sealedKubeconfig,
        why);
  }
}
