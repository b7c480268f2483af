package dev.easel.clusters.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A published cluster profile version, as pack-manager announced it: immutable once published.
 *
 * @param name the profile's name
 * @param version its version
 * @param type {@code full}, {@code infra} or {@code add-on}
 * @param cloudType the platform it is for, such as {@code edge-native}, {@code vsphere} or {@code
 *     maas}
 * @param layers the resolved bill of materials, bottom up
 * @param variables the values a cluster may or must supply
 * @param publishedAt when it was published
 */
public record PublishedProfile(
    String name,
    String version,
    String type,
    String cloudType,
    List<Layer> layers,
    List<Variable> variables,
    Instant publishedAt) {

  public PublishedProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    layers = layers == null ? List.of() : List.copyOf(layers);
    variables = variables == null ? List.of() : List.copyOf(variables);
  }

  /**
   * One layer.
   *
   * @param layer {@code os}, {@code k8s}, {@code cni}, {@code csi} or {@code addon}
   * @param name the pack's name
   * @param version the pack's version
   * @param digest the digest of its OCI manifest
   * @param values its merged values, YAML
   */
  public record Layer(String layer, String name, String version, String digest, String values) {}

  /**
   * A variable the profile declares.
   *
   * @param format {@code string}, {@code number}, {@code boolean}, {@code ipv4}, {@code ipv4cidr},
   *     {@code ipv6}, {@code version} or {@code base64}
   */
  public record Variable(
      String name,
      String format,
      boolean required,
      String defaultValue,
      String regex,
      boolean sensitive,
      List<String> options) {

    public Variable {
      options = options == null ? List.of() : List.copyOf(options);
    }
  }

  /**
   * Whether this profile fits nodes of a platform. An edge-native (Kairos) profile fits machines of
   * any platform the appliance boots on; a vsphere or maas profile only its own.
   */
  public boolean fitsPlatform(String platform) {
    if (cloudType == null || cloudType.equals("edge-native") || cloudType.equals("all")) {
      return true;
    }
    return cloudType.equals(platform);
  }

  /** The Kubernetes version of its k8s layer, or null. */
  public String kubernetesVersion() {
    return layers.stream()
        .filter(l -> "k8s".equals(l.layer()))
        .map(Layer::version)
        .findFirst()
        .orElse(null);
  }
}
