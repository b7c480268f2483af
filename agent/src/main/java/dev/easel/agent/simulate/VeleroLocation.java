package dev.easel.agent.simulate;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A BackupStorageLocation as a plan applies it ({@code velero.io/v1}): the provider, the bucket and
 * prefix backups go under, the provider's config (for {@code aws}: {@code region}, {@code
 * s3ForcePathStyle}, {@code s3Url}) and the secret key that holds its credentials.
 *
 * @param prefix without surrounding slashes; empty when the location has none
 * @param caCert the base64 PEM of the CA the object store's certificate is checked against; null
 *     for the JDK's
 * @param credentialName the secret in namespace {@code velero}; null when the spec names none
 */
record VeleroLocation(
    String name,
    String provider,
    String bucket,
    String prefix,
    String caCert,
    Map<String, String> config,
    String credentialName,
    String credentialKey,
    String accessMode) {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  VeleroLocation {
    config = Map.copyOf(config);
  }

  /**
   * The location a manifest declares.
   *
   * @throws IllegalArgumentException if it is not YAML, or not a BackupStorageLocation with a name,
   *     a provider and a bucket; the message says which, as kubectl would
   */
  static VeleroLocation parse(String manifest) {
    JsonNode doc;
    try {
      doc = YAML.readTree(manifest);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(e.getOriginalMessage());
    }
    if (doc == null || !doc.isObject()) {
      throw new IllegalArgumentException("Object 'Kind' is missing in '" + manifest.strip() + "'");
    }
    if (!"BackupStorageLocation".equals(text(doc.path("kind")))) {
      throw new IllegalArgumentException(
          "no matches for kind \"" + text(doc.path("kind")) + "\" in version velero.io/v1");
    }
    String name = required(doc.path("metadata").path("name"), "metadata.name");
    JsonNode spec = doc.path("spec");
    String provider = required(spec.path("provider"), "spec.provider");
    JsonNode storage = spec.path("objectStorage");
    String bucket = required(storage.path("bucket"), "spec.objectStorage.bucket");
    String prefix = text(storage.path("prefix"));
    Map<String, String> config = new LinkedHashMap<>();
    spec.path("config").properties().forEach(e -> config.put(e.getKey(), text(e.getValue())));
    JsonNode credential = spec.path("credential");
    String accessMode = text(spec.path("accessMode"));
    return new VeleroLocation(
        name,
        provider,
        bucket,
        prefix == null ? "" : prefix.replaceAll("^/+|/+$", ""),
        text(storage.path("caCert")),
        config,
        text(credential.path("name")),
        text(credential.path("key")),
        accessMode == null ? "ReadWrite" : accessMode);
  }

  /** The object key of {@code path} under the location's prefix, as Velero lays them out. */
  String key(String path) {
    return prefix.isEmpty() ? path : prefix + "/" + path;
  }

  boolean readOnly() {
    return "ReadOnly".equals(accessMode);
  }

  private static String required(JsonNode node, String field) {
    String value = text(node);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "error validating data: ValidationError(BackupStorageLocation): missing required field"
              + " \""
              + field
              + "\"");
    }
    return value;
  }

  private static String text(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}
