package dev.easel.packs.domain;

import java.util.List;

/**
 * One layer of a cluster profile, either a pack or a set of plain manifests.
 *
 * <p>A pack layer names {@code pack} and {@code version}; {@code registry} is the name of the
 * registry to take it from and may be left out when exactly one registry holds that version. {@code
 * values} is an optional YAML mapping deep-merged over the pack's own values.yaml. A pack layer may
 * also carry extra manifests.
 *
 * <p>A manifest layer has no {@code pack}: it has a {@code name} and at least one manifest, and
 * stands in the stack as an {@code addon} layer.
 */
public record ProfileLayer(
    String pack,
    String version,
    String registry,
    String values,
    String name,
    List<ManifestFile> manifests) {

  public ProfileLayer {
    manifests = Copies.list(manifests);
  }

  /** A pack layer taking the pack's values as they are. */
  public static ProfileLayer pack(String pack, String version) {
    return new ProfileLayer(pack, version, null, null, null, List.of());
  }

  /** A pack layer with values overrides. */
  public static ProfileLayer pack(String pack, String version, String values) {
    return new ProfileLayer(pack, version, null, values, null, List.of());
  }

  /** A layer of plain manifests. */
  public static ProfileLayer manifests(String name, List<ManifestFile> manifests) {
    return new ProfileLayer(null, null, null, null, name, manifests);
  }

  /** {@code pack} for a pack layer, {@code manifest} for a layer of plain manifests. */
  public String kind() {
    return pack == null ? "manifest" : "pack";
  }

  /** The pack's name, or the manifest layer's: what identifies the layer in the profile. */
  public String key() {
    return pack != null ? pack : name;
  }
}
