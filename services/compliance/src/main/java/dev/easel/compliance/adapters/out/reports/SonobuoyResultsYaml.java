package dev.easel.compliance.adapters.out.reports;

import static dev.easel.compliance.adapters.out.reports.ReportJson.text;

import dev.easel.compliance.domain.report.ReportRejected;
import java.io.InputStream;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads a plugin's {@code sonobuoy_results.yaml}, the tree Sonobuoy's post-processing writes, and
 * gives its leaves, which are the tests, one at a time.
 *
 * <p>An item is {@code {name, status, meta, details, items}}. For the e2e plugin the tree is plugin
 * → file ({@code junit_01.xml}) → suite → test cases; for a DaemonSet plugin, plugin → node → file.
 * An item whose {@code meta.type} is {@code node} names the node of the leaves under it. A plugin
 * with no items at all is its own leaf, so that a plugin which failed before it wrote anything
 * still shows. The tree is streamed: only one item's own fields are held at a time.
 */
final class SonobuoyResultsYaml {

  /** Sonobuoy's trees are four levels deep; a hostile one could be thousands. */
  static final int MAX_ITEM_DEPTH = 32;

  /**
   * One test.
   *
   * @param status Sonobuoy's status as written: {@code passed}, {@code failed}, {@code skipped},
   *     {@code timeout}, {@code unknown}, or a manual plugin's own word; null if missing
   * @param node the node from an enclosing node item, or null
   * @param detail the failure (or error) message, or for a failed test without one its output
   */
  record Leaf(String name, String status, String node, String detail) {}

  private final ReportJson json;

  SonobuoyResultsYaml(ReportJson json) {
    this.json = json;
  }

  /**
   * Reads one results file and gives {@code out} its leaves in order. An empty file has none.
   *
   * @param what the file, for messages
   */
  void read(InputStream in, String what, Consumer<Leaf> out) throws ReportRejected {
    try (JsonParser p = json.openYaml(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return;
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ReportRejected(what + " is not a tree of results");
      }
      item(p, 0, null, what, out);
    } catch (JacksonException e) {
      throw ReportFailures.fromJackson(what, "YAML", e);
    }
  }

  /** Reads the item the parser is on the start of, and its descendants. */
  private void item(JsonParser p, int depth, String node, String what, Consumer<Leaf> out)
      throws ReportRejected {
    if (depth > MAX_ITEM_DEPTH) {
      throw new ReportRejected(what + " nests items deeper than " + MAX_ITEM_DEPTH + " levels");
    }
    String name = null;
    String status = null;
    boolean nodeItem = false;
    JsonNode details = null;
    boolean children = false;
    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> name = scalar(p);
        case "status" -> status = scalar(p);
        case "meta" -> nodeItem = "node".equals(text(p.readValueAsTree(), "type"));
        case "details" -> details = p.readValueAsTree();
        case "items" -> {
          if (value == JsonToken.START_ARRAY) {
            String childNode = nodeItem ? name : node;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              if (p.currentToken() == JsonToken.START_OBJECT) {
                item(p, depth + 1, childNode, what, out);
                children = true;
              } else {
                p.skipChildren();
              }
            }
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    if (!children) {
      out.accept(new Leaf(name, status, nodeItem ? name : node, detail(status, details)));
    }
  }

  private static String scalar(JsonParser p) {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token.isScalarValue()) {
      return p.getString();
    }
    p.skipChildren();
    return null;
  }

  private static String detail(String status, JsonNode details) {
    if (details == null) {
      return null;
    }
    String failure = text(details, "failure");
    if (failure == null) {
      failure = text(details, "error");
    }
    if (failure == null && ("failed".equals(status) || "timeout".equals(status))) {
      failure = text(details, "system-out");
    }
    return ReportJson.strip(failure);
  }
}
