package dev.easel.clusters.domain.render;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Everything needed to render the nodes' cloud-config and the steps that finish a cluster.
 *
 * <p>The cluster token is a secret: any node holding it can join the cluster (provider-kubeadm
 * derives the kubeadm bootstrap token and the certificate key from it). It goes into the nodes'
 * cloud-config and nowhere else, and {@link #toString()} masks it.
 *
 * @param clusterName the cluster's name
 * @param clusterId the cluster's id
 * @param clusterToken the Kairos {@code cluster_token}, any string, the same on every node
 * @param vip the control-plane virtual IP, Kairos' {@code control_plane_host}
 * @param podCidr the pods' network
 * @param serviceCidr the services' network
 * @param kubernetesVersion the Kubernetes version, with or without the leading {@code v}; it must
 *     match the kubeadm in the node image
 * @param ntpServers NTP servers for every node; empty keeps the operating system's
 * @param sshKeys public keys authorised for the {@code kairos} user, one per line each
 * @param nodes every node of the cluster; exactly one has the role {@link NodeRole#INIT}
 * @param layers the profile's layers in stack order
 */
public record RenderRequest(
    String clusterName,
    UUID clusterId,
    String clusterToken,
    String vip,
    String podCidr,
    String serviceCidr,
    String kubernetesVersion,
    List<String> ntpServers,
    List<String> sshKeys,
    List<RenderNode> nodes,
    List<RenderLayer> layers) {

  /** What the token is shown as. */
  public static final String MASK = "********";

  public RenderRequest {
    requireText(clusterName, "clusterName");
    Objects.requireNonNull(clusterId, "clusterId");
    if (clusterToken == null || clusterToken.isBlank()) {
      throw new IllegalArgumentException("the cluster token must not be blank");
    }
    requireWord(vip, "vip");
    requireWord(podCidr, "podCidr");
    requireWord(serviceCidr, "serviceCidr");
    requireWord(kubernetesVersion, "kubernetesVersion");
    ntpServers = ntpServers == null ? List.of() : List.copyOf(ntpServers);
    for (String server : ntpServers) {
      // timesyncd takes the servers as one space-separated list.
      requireWord(server, "an NTP server");
    }
    sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
    for (String key : sshKeys) {
      // A line break would smuggle a second key into authorized_keys.
      if (key.isBlank() || key.contains("\n") || key.contains("\r")) {
        throw new IllegalArgumentException("an SSH key must be a single, non-blank line");
      }
    }
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
    long init = nodes.stream().filter(n -> n.role() == NodeRole.INIT).count();
    if (init != 1) {
      throw new IllegalArgumentException("exactly one node must have the role init; found " + init);
    }
    Set<UUID> ids = new HashSet<>();
    Set<String> hostnames = new HashSet<>();
    for (RenderNode n : nodes) {
      if (!ids.add(n.id())) {
        throw new IllegalArgumentException("node " + n.id() + " is listed twice");
      }
      // Kubernetes names nodes by their lower-cased host name.
      if (!hostnames.add(n.hostname().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("hostname " + n.hostname() + " is used twice");
      }
    }
    layers = layers == null ? List.of() : List.copyOf(layers);
    Set<String> names = new HashSet<>();
    for (RenderLayer l : layers) {
      if (!names.add(l.name())) {
        throw new IllegalArgumentException("layer " + l.name() + " is listed twice");
      }
    }
  }

  /** The node that initialises the cluster. */
  public RenderNode initNode() {
    return nodes.stream()
        .filter(n -> n.role() == NodeRole.INIT)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no init node"));
  }

  /** The first layer of the given type, if the profile has one. */
  public Optional<RenderLayer> layer(LayerType type) {
    return layers.stream().filter(l -> l.type() == type).findFirst();
  }

  /** The version as kubeadm writes it, {@code v1.32.3}. */
  public String kubeadmVersion() {
    return kubernetesVersion.startsWith("v") ? kubernetesVersion : "v" + kubernetesVersion;
  }

  /** The cluster token is masked. */
  @Override
  public String toString() {
    return "RenderRequest[clusterName="
        + clusterName
        + ", clusterId="
        + clusterId
        + ", clusterToken="
        + MASK
        + ", vip="
        + vip
        + ", podCidr="
        + podCidr
        + ", serviceCidr="
        + serviceCidr
        + ", kubernetesVersion="
        + kubernetesVersion
        + ", ntpServers="
        + ntpServers
        + ", sshKeys=("
        + sshKeys.size()
        + " keys), nodes="
        + nodes
        + ", layers="
        + layers
        + "]";
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }

  private static void requireWord(String value, String what) {
    requireText(value, what);
    if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(what + " must not contain spaces or control characters");
    }
  }
}
