package dev.easel.contracts.packs;

import dev.easel.contracts.Contract;
import java.time.Instant;
import java.util.List;

/**
 * A cluster profile version was published and can no longer change. It carries everything a cluster
 * needs, so that cluster-former keeps its own copy and never asks pack-manager.
 *
 * @param type {@code infra}, {@code add-on} or {@code full}
 * @param layers in stack order, each with its values merged (pack defaults, then the profile's
 *     overrides); profile variables stay as {@code {{.spectro.var.NAME}}} until a cluster gives
 *     them values
 * @param variables the variables a cluster fills in
 */
@Contract(
    value = "dev.easel.packs.ProfilePublished.v1",
    kind = Contract.Kind.EVENT,
    description = "A cluster profile version was published, with its resolved bill of materials.")
public record ProfilePublished(
    String name,
    String version,
    String description,
    String type,
    String cloudType,
    List<ResolvedLayer> layers,
    List<ProfileVariable> variables,
    Instant at) {

  /**
   * One layer of the bill of materials.
   *
   * @param kind {@code pack} or {@code manifest}
   * @param layer {@code os}, {@code k8s}, {@code cni}, {@code csi} or {@code addon}
   * @param repository the pack's OCI repository, {@code <host>/<base>/spectro-packs/archive/<name>}
   * @param digest the digest of the pack's OCI manifest
   * @param values the merged values, YAML
   * @param images every image the pack lists under {@code pack.content.images}
   * @param charts the charts it installs: {@code repo}, {@code name}, {@code version} as one string
   *     each, {@code <repo>/<name>:<version>}
   */
  public record ResolvedLayer(
      String kind,
      String layer,
      String name,
      String version,
      String registry,
      String repository,
      String digest,
      String values,
      List<String> images,
      List<String> charts,
      List<Manifest> manifests) {}

  /** A manifest file of a layer. */
  public record Manifest(String name, String content) {}

  /**
   * A profile variable, as the profile declares it. The default of a sensitive variable is not
   * carried.
   *
   * @param format {@code string}, {@code number}, {@code boolean}, {@code ipv4}, {@code ipv4cidr},
   *     {@code ipv6}, {@code version} or {@code base64}
   */
  public record ProfileVariable(
      String name,
      String displayName,
      String description,
      String format,
      boolean required,
      String defaultValue,
      String regex,
      boolean hidden,
      boolean immutable,
      boolean sensitive,
      List<String> options) {}
}
