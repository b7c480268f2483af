package dev.easel.packs.domain;

import java.util.List;
import java.util.Optional;

/**
 * A cluster profile as a client submits it: its layers in stack order (os, k8s, cni, csi, then
 * add-ons) and the variables its layers reference.
 *
 * @param type {@code infra}, {@code add-on} or {@code full}
 * @param cloudType one of {@link PackManifest#CLOUD_TYPES}; {@code all} only for add-on profiles
 * @param version a strict semantic version; several versions share one name
 */
public record ProfileDefinition(
    String name,
    String description,
    String type,
    String cloudType,
    String version,
    List<ProfileLayer> layers,
    List<Variable> variables) {

  public ProfileDefinition {
    layers = Copies.list(layers);
    variables = Copies.list(variables);
  }

  public Optional<ProfileType> typeEnum() {
    return ProfileType.of(type);
  }
}
