package dev.easel.clusters.domain.render;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Fills a layer's values with the cluster's: {@code {{.spectro.var.NAME}}} with the profile
 * variable's value, and {@code {{.spectro.system.KEY}}} with a system macro ({@code cluster.name},
 * {@code cluster.uid}, {@code cluster.kubevip}, {@code kubernetes.version}).
 *
 * <p>The values are parsed first and placeholders are replaced inside string values only, so a
 * value holding a colon, a quote or a line break stays one string and cannot add keys. A
 * placeholder with a pipeline or a function ({@code {{ htpasswd ... }}}) is left as written.
 */
public final class Placeholders {

  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*\\.spectro\\.(var|system)\\.([A-Za-z0-9_.]+)\\s*}}");

  private Placeholders() {}

  /**
   * @param valuesYaml a layer's values, YAML
   * @param variables profile variables by name
   * @param system system macros by key, such as {@code cluster.kubevip}
   * @return the values with every known placeholder filled in
   * @throws IllegalArgumentException when the values are not a YAML mapping
   */
  public static String resolve(
      String valuesYaml, Map<String, String> variables, Map<String, String> system) {
    if (valuesYaml == null || valuesYaml.isBlank() || !valuesYaml.contains("{{")) {
      return valuesYaml == null ? "" : valuesYaml;
    }
    ObjectNode root = RenderYaml.mapping(valuesYaml, "layer values");
    return RenderYaml.write(walk(root, variables, system));
  }

  /** Fills the placeholders of one string. */
  public static String fill(
      String text, Map<String, String> variables, Map<String, String> system) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = ("var".equals(m.group(1)) ? variables : system).get(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode walk(
      JsonNode node, Map<String, String> variables, Map<String, String> system) {
    if (node instanceof ObjectNode o) {
      for (String key : new java.util.ArrayList<>(o.propertyNames())) {
        o.set(key, walk(o.get(key), variables, system));
      }
      return o;
    }
    if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, walk(a.get(i), variables, system));
      }
      return a;
    }
    if (node instanceof StringNode s) {
      return StringNode.valueOf(fill(s.stringValue(), variables, system));
    }
    return node;
  }
}
