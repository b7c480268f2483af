package dev.easel.compliance.support;

import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.ProfilePublished;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Events as pack-manager and cluster-former publish them, for the appliance's real third-party
 * packs (their values from pack-manager's pack directories).
 */
public final class Packs {

  public static final UUID REGISTRY = UUID.fromString("0b7a3a0e-2c39-4e43-9a5b-3e0f5f1a0001");
  public static final String THIRD_PARTY = "easel-third-party";
  public static final String CONFORMANCE = "easel-third-party-conformance";
  public static final String PROFILE = "easel-appliance";

  private Packs() {}

  public static PackAdded added(String name, String version) {
    return new PackAdded(
        REGISTRY,
        "internal",
        name,
        version,
        "sha256:" + "ab".repeat(32),
        "addon",
        List.of("all"),
        "127.0.0.1:5000/spectro-packs/archive/" + name,
        values(name),
        Instant.now());
  }

  public static PackRemoved removed(String name, String version) {
    return new PackRemoved(
        REGISTRY, "internal", name, version, "sha256:" + "ab".repeat(32), "addon", Instant.now());
  }

  /** The pack's real values.yaml, from pack-manager's appliance packs. */
  public static String values(String name) {
    for (Path root :
        List.of(
            Path.of("..", "pack-manager", "src", "main", "resources", "packs"),
            Path.of("services", "pack-manager", "src", "main", "resources", "packs"))) {
      Path v = root.resolve(name + "-1.0.0").resolve("values.yaml");
      if (Files.exists(v)) {
        try {
          return Files.readString(v);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException("no values.yaml for " + name);
  }

  /** A published profile whose k8s layer is the given Kubernetes version. */
  public static ProfilePublished profile(String version, String kubernetes) {
    return new ProfilePublished(
        PROFILE,
        version,
        "test",
        "full",
        "edge-native",
        List.of(
            new ProfilePublished.ResolvedLayer(
                "pack",
                "k8s",
                "pxk-e",
                kubernetes,
                "internal",
                "127.0.0.1:5000/spectro-packs/archive/pxk-e",
                "sha256:" + "cd".repeat(32),
                "",
                List.of(),
                List.of(),
                List.of())),
        List.of(),
        Instant.now());
  }

  /** A running cluster of these nodes: the first is the init node, the rest workers. */
  public static ClusterRunning running(
      UUID clusterId, String name, String profileVersion, List<UUID> nodes) {
    List<ClusterRunning.ClusterMember> members = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      members.add(
          new ClusterRunning.ClusterMember(
              nodes.get(i),
              name + "-" + i,
              i == 0 ? "control-plane" : "workers",
              i == 0 ? "init" : "worker"));
    }
    return new ClusterRunning(
        clusterId, name, "workload", nodes, members, PROFILE, profileVersion, Instant.now());
  }
}
