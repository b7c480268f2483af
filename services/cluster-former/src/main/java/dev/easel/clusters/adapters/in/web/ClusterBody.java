package dev.easel.clusters.adapters.in.web;

import dev.easel.clusters.domain.ClusterRequest;
import dev.easel.clusters.domain.config.ClusterConfig;
import dev.easel.clusters.domain.config.RegistryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cluster request as JSON. The registry's password is write-only: it is read here, and only
 * whether one was given reaches validation.
 */
record ClusterBody(
    String name,
    Map<String, String> tags,
    String kind,
    ClusterRequest.ProfileRef profile,
    Map<String, String> variables,
    ConfigBody config,
    List<ClusterRequest.PoolRequest> nodePools) {

  /** The cluster's settings as JSON. */
  record ConfigBody(
      String podCidr,
      String serviceCidr,
      String vip,
      List<String> ntpServers,
      List<String> sshKeys,
      String storagePoolDevice,
      Integer csiPlacementCount,
      RegistryBody registry) {}

  /** The registry settings as JSON; {@code mode} is {@code in-cluster} or {@code external}. */
  record RegistryBody(
      String mode,
      Integer port,
      String basePath,
      String endpoint,
      String caCertificate,
      String username,
      String password,
      Integer storageGiB) {

    @Override
    public String toString() {
      return "RegistryBody[mode=" + mode + ", endpoint=" + endpoint + ", password=********]";
    }
  }

  /** Thrown when the registry mode names neither mode. */
  static final class UnknownMode extends RuntimeException {
    UnknownMode(String mode) {
      super("config.registry.mode '" + mode + "' is neither in-cluster nor external");
    }
  }

  /** The registry password, write-only: sealed with the cluster, never echoed. */
  String registryPassword() {
    return config == null || config.registry() == null ? null : config.registry().password();
  }

  ClusterRequest toRequest() {
    return new ClusterRequest(
        name, tags, kind, profile, variables, config == null ? null : toConfig(), nodePools);
  }

  private ClusterConfig toConfig() {
    RegistryBody r = config.registry();
    RegistryConfig registry =
        r == null
            ? null
            : new RegistryConfig(
                mode(r.mode()),
                r.port(),
                r.basePath(),
                r.endpoint(),
                r.caCertificate(),
                r.username(),
                r.password() != null && !r.password().isEmpty(),
                r.storageGiB());
    return new ClusterConfig(
        config.podCidr(),
        config.serviceCidr(),
        config.vip(),
        config.ntpServers(),
        config.sshKeys(),
        config.storagePoolDevice(),
        config.csiPlacementCount(),
        registry);
  }

  private static RegistryConfig.Mode mode(String mode) {
    if (mode == null) {
      return null;
    }
    switch (mode.toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "in-cluster":
        return RegistryConfig.Mode.IN_CLUSTER;
      case "external":
        return RegistryConfig.Mode.EXTERNAL;
      default:
        throw new UnknownMode(mode);
    }
  }
}
