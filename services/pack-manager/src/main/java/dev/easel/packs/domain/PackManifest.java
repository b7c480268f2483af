package dev.easel.packs.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pack's {@code pack.json}, as Palette's pack format defines it. Unknown fields are ignored.
 *
 * @param layer {@code os}, {@code k8s}, {@code cni}, {@code csi} or {@code addon}
 * @param cloudTypes where the pack runs; {@code all} for anywhere
 * @param kubeManifests relative paths of plain manifests the pack applies
 */
public record PackManifest(
    String name,
    String displayName,
    String version,
    String layer,
    String addonType,
    List<String> cloudTypes,
    Map<String, String> annotations,
    List<String> charts,
    List<String> kubeManifests,
    Constraints constraints) {

  /** Names: what OCI repository paths and profile layers can carry. */
  public static final String NAME_PATTERN = "[a-z0-9]([a-z0-9._-]{0,126}[a-z0-9])?";

  /** Palette's cloud types, plus {@code all}. */
  public static final Set<String> CLOUD_TYPES =
      Set.of(
          "all",
          "aws",
          "azure",
          "gcp",
          "vsphere",
          "openstack",
          "baremetal",
          "maas",
          "aks",
          "eks",
          "tke",
          "edge",
          "libvirt",
          "edge-native",
          "coxedge",
          "tencent",
          "custom");

  /** The kinds of dependency a pack may declare. */
  public static final Set<String> DEPENDENCY_TYPES =
      Set.of("required", "optional", "notSupported", "upgrade");

  public PackManifest {
    cloudTypes = cloudTypes == null ? List.of() : List.copyOf(cloudTypes);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    charts = charts == null ? List.of() : List.copyOf(charts);
    kubeManifests = kubeManifests == null ? List.of() : List.copyOf(kubeManifests);
    constraints = constraints == null ? new Constraints(List.of()) : constraints;
  }

  /** What the pack asks of other packs in a profile. */
  public record Constraints(List<Dependency> dependencies) {
    public Constraints {
      dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    }
  }

  /**
   * One dependency.
   *
   * @param minVersion a version or a partial one ({@code 1.27}); empty for none
   * @param type {@code required}, {@code optional}, {@code notSupported} or {@code upgrade}
   */
  public record Dependency(
      String packName, String layer, String minVersion, String maxVersion, String type) {}

  public SemVer semver() {
    return SemVer.parse(version).orElseThrow();
  }

  public Layer layerEnum() {
    return Layer.of(layer).orElseThrow();
  }

  /** Every reason this is not a pack Easel can keep, each naming its field; empty when valid. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (name == null || !name.matches(NAME_PATTERN)) {
      p.add("pack.json name: required, lower-case letters, digits, '.', '_' and '-'");
    }
    if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
      p.add("pack.json displayName: required, at most 200 characters");
    }
    if (version == null || version.isBlank()) {
      p.add("pack.json version: required");
    } else if (!SemVer.isValid(version)) {
      p.add("pack.json version: '" + version + "' is not a semantic version such as 1.2.3");
    }
    if (layer == null || Layer.of(layer).isEmpty()) {
      p.add("pack.json layer: required, one of os, k8s, cni, csi, addon");
    }
    for (String c : cloudTypes) {
      if (!CLOUD_TYPES.contains(c)) {
        p.add("pack.json cloudTypes: '" + c + "' is not a known cloud type");
      }
    }
    for (String path : kubeManifests) {
      if (path == null || path.startsWith("/") || path.contains("..")) {
        p.add("pack.json kubeManifests: '" + path + "' is not a path inside the pack");
      }
    }
    List<Dependency> deps = constraints.dependencies();
    for (int i = 0; i < deps.size(); i++) {
      Dependency d = deps.get(i);
      String at = "pack.json constraints.dependencies[" + i + "]";
      if (d == null) {
        p.add(at + ": null");
        continue;
      }
      if (d.packName() == null || d.packName().isBlank()) {
        p.add(at + ".packName: required");
      }
      if (d.layer() != null && !d.layer().isBlank() && Layer.of(d.layer()).isEmpty()) {
        p.add(at + ".layer: '" + d.layer() + "' is not a layer");
      }
      if (d.type() == null || !DEPENDENCY_TYPES.contains(d.type())) {
        p.add(
            at
                + ".type: '"
                + d.type()
                + "' is not one of required, optional, notSupported, upgrade");
      }
      if (notBlank(d.minVersion()) && SemVer.Partial.parse(d.minVersion()).isEmpty()) {
        p.add(at + ".minVersion: '" + d.minVersion() + "' is not a version");
      }
      if (notBlank(d.maxVersion()) && SemVer.Partial.parse(d.maxVersion()).isEmpty()) {
        p.add(at + ".maxVersion: '" + d.maxVersion() + "' is not a version");
      }
    }
    return p;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
