package dev.easel.clusters.domain.render;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of the cluster profile, with its values already merged and resolved (profile variables
 * and system macros filled in).
 *
 * <p>Parameters carry the cluster settings a layer is given on the command line rather than through
 * its values: for {@link LayerType#CSI} {@code storagePoolDevice} and {@code placementCount}, for
 * {@link LayerType#REGISTRY} {@code port} (and {@code basePath}, which pack-manager uses and the
 * registry chart does not).
 *
 * @param name the pack's name; also the Helm release name and the directory of its files
 * @param version the pack's version
 * @param type the layer's place in the stack
 * @param valuesYaml the merged values, as YAML; may hold secrets and is never printed
 * @param parameters cluster settings for the layer, by name
 */
public record RenderLayer(
    String name,
    String version,
    LayerType type,
    String valuesYaml,
    Map<String, String> parameters) {

  public RenderLayer {
    if (name == null || !name.matches("[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "layer name '"
              + name
              + "' must be a lower-case DNS label of at most 53 characters, as Helm releases are");
    }
    Objects.requireNonNull(type, "type");
    version = Objects.requireNonNullElse(version, "");
    valuesYaml = Objects.requireNonNullElse(valuesYaml, "");
    parameters =
        parameters == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The values are left out: resolved values hold passwords (the registry's, for one). */
  @Override
  public String toString() {
    return "RenderLayer[name="
        + name
        + ", version="
        + version
        + ", type="
        + type
        + ", valuesYaml=("
        + valuesYaml.length()
        + " characters), parameters="
        + parameters.keySet()
        + "]";
  }
}
