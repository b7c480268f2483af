package dev.easel.clusters.domain.render;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLReadFeature;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads and writes the YAML this package renders, and reads the JSON kubectl prints.
 *
 * <p>Every string is written double-quoted. The documents are read by Go: Kairos and yip, and
 * provider-kubeadm through {@code sigs.k8s.io/yaml}, a YAML 1.1 reader, where a plain {@code on},
 * {@code 0x1F}, {@code 1e3} or {@code 2024-01-01} is not the string it looks like. Quoting every
 * string costs a few characters and leaves nothing to guess; numbers and booleans stay plain.
 * Multi-line strings are literal blocks, and long lines are not folded, so a key or a certificate
 * stays on one line.
 */
final class RenderYaml {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER, YAMLWriteFeature.SPLIT_LINES)
          .enable(
              YAMLWriteFeature.LITERAL_BLOCK_STYLE, YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
          .enable(YAMLReadFeature.EMPTY_STRING_AS_NULL)
          .build();

  private RenderYaml() {}

  /**
   * The mapping a YAML document holds; an empty or comment-only document is an empty mapping.
   *
   * @param what names the document in the message of a failure
   * @throws IllegalArgumentException when the text is not YAML or not a mapping
   */
  static ObjectNode mapping(String yaml, String what) {
    if (yaml == null || yaml.isBlank()) {
      return NODES.objectNode();
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(yaml);
    } catch (JacksonException e) {
      // The parser's message quotes the offending line, and the document may be a kubeconfig with
      // a private key in it: keep only the problem and its position, and drop the cause.
      throw new IllegalArgumentException(what + " is not valid YAML: " + problem(e));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NODES.objectNode();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a YAML mapping");
    }
    return (ObjectNode) node;
  }

  /** The tree as block YAML, without a {@code ---} marker. */
  static String write(JsonNode node) {
    return MAPPER.writeValueAsString(node);
  }

  /**
   * The mapping under {@code key}, created when absent or null.
   *
   * @throws IllegalArgumentException when the key holds something other than a mapping
   */
  static ObjectNode object(ObjectNode parent, String key, String where) {
    JsonNode child = parent.get(key);
    if (child == null || child.isNull()) {
      return parent.putObject(key);
    }
    if (!child.isObject()) {
      throw new IllegalArgumentException(where + "." + key + " must be a mapping");
    }
    return (ObjectNode) child;
  }

  /**
   * The list under {@code key}, created when absent or null.
   *
   * @throws IllegalArgumentException when the key holds something other than a list
   */
  static ArrayNode array(ObjectNode parent, String key, String where) {
    JsonNode child = parent.get(key);
    if (child == null || child.isNull()) {
      return parent.putArray(key);
    }
    if (!child.isArray()) {
      throw new IllegalArgumentException(where + "." + key + " must be a list");
    }
    return (ArrayNode) child;
  }

  private static String problem(JacksonException e) {
    String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    int newline = message.indexOf('\n');
    String first = (newline < 0 ? message : message.substring(0, newline)).strip();
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      first += " (line " + e.getLocation().getLineNr() + ")";
    }
    return first;
  }
}
