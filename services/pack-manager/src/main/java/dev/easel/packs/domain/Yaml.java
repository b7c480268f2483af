package dev.easel.packs.domain;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLReadFeature;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

/**
 * Reads, merges and writes the YAML of pack values, schemas and profile overrides.
 *
 * <p>Input comes from clients and from packs anyone can upload, so reading is bounded: a document
 * over {@link #MAX_DOCUMENT_BYTES} is refused before parsing, nesting and token counts are capped
 * through Jackson's {@link StreamReadConstraints}, and YAML aliases ({@code *name}) are refused.
 * Jackson's YAML parser does not expand aliases (it would hand back the anchor's name as a string,
 * silently changing the value), and refusing them also turns an alias bomb ("billion laughs") away
 * at its first alias instead of after an exponential expansion. Anchors alone are harmless and
 * ignored. Duplicate keys are refused: which one wins differs between YAML readers.
 */
public final class Yaml {

  /** The largest document read: 1 MiB of UTF-8. */
  public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

  /** Deeper than any real Helm values file; bounds recursion while building the tree. */
  static final int MAX_NESTING_DEPTH = 100;

  /** Tokens in one document; a 1 MiB document of one-character list items stays under it. */
  static final long MAX_TOKENS = 1_000_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final YAMLMapper MAPPER = YAMLMapper.builder(factory()).build();

  /** "in reader, line 3, column 7:" as SnakeYAML marks where a problem is. */
  private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private Yaml() {}

  private static YAMLFactory factory() {
    return YAMLFactory.builder()
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxDocumentLength(MAX_DOCUMENT_BYTES)
                .maxStringLength(MAX_DOCUMENT_BYTES)
                .maxNameLength(64 * 1024)
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxTokenCount(MAX_TOKENS)
                .build())
        .loadSettings(
            LoadSettings.builder()
                .setCodePointLimit(MAX_DOCUMENT_BYTES)
                // Refused by readObject, with the line and a plainer message.
                .setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(0)
                .setAllowRecursiveKeys(false)
                .setUseMarks(true)
                .build())
        // "key:" with nothing after it is null, as in every other YAML reader; '' stays a string.
        .enable(YAMLReadFeature.EMPTY_STRING_AS_NULL)
        .stringQuotingChecker(new Quoting())
        .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER, YAMLWriteFeature.SPLIT_LINES)
        .enable(
            YAMLWriteFeature.MINIMIZE_QUOTES,
            YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS,
            YAMLWriteFeature.LITERAL_BLOCK_STYLE,
            YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
        .build();
  }

  /**
   * The mapping a YAML document holds. A null or blank text, a document of comments only and an
   * explicit {@code null} document all read as an empty mapping.
   *
   * @return an {@link ObjectNode} the caller may change
   * @throws IllegalArgumentException when the text is not YAML, holds something other than a
   *     mapping, holds more than one document, uses an alias or a duplicate key, or exceeds the
   *     bounds above; the message names the line where the parser stopped
   */
  public static JsonNode parseMapping(String yaml) {
    if (yaml == null || yaml.isBlank()) {
      return NODES.objectNode();
    }
    if (utf8Length(yaml) > MAX_DOCUMENT_BYTES) {
      throw new IllegalArgumentException(
          "the YAML document is larger than " + MAX_DOCUMENT_BYTES / 1024 + " KiB");
    }
    try (JsonParser p = MAPPER.createParser(yaml)) {
      JsonToken first = p.nextToken();
      ObjectNode root;
      if (first == null || first == JsonToken.VALUE_NULL) {
        root = NODES.objectNode();
      } else if (first == JsonToken.START_OBJECT) {
        root = readObject(p);
      } else {
        throw new IllegalArgumentException(
            where(p) + "expected a mapping of keys to values, found " + describe(first));
      }
      if (first != null && p.nextToken() != null) {
        throw new IllegalArgumentException(
            where(p) + "more than one YAML document; give a single mapping");
      }
      return root;
    } catch (JacksonException e) {
      throw new IllegalArgumentException(explain(e), e);
    }
  }

  /**
   * Deep merge of two trees: mappings merge key by key, with the override's keys last in order;
   * anything else in the override (scalars, lists, null) replaces the base value whole. Neither
   * argument is changed.
   */
  public static JsonNode merge(JsonNode base, JsonNode override) {
    if (override == null || override.isMissingNode()) {
      return base == null ? MissingNode.getInstance() : base.deepCopy();
    }
    if (base != null && base.isObject() && override.isObject()) {
      ObjectNode out = (ObjectNode) base.deepCopy();
      mergeInto(out, override);
      return out;
    }
    return override.deepCopy();
  }

  private static void mergeInto(ObjectNode target, JsonNode override) {
    for (Map.Entry<String, JsonNode> e : override.properties()) {
      JsonNode existing = target.get(e.getKey());
      JsonNode incoming = e.getValue();
      if (existing != null && existing.isObject() && incoming.isObject()) {
        mergeInto((ObjectNode) existing, incoming);
      } else {
        target.set(e.getKey(), incoming.deepCopy());
      }
    }
  }

  /**
   * The tree as block YAML: no {@code ---} marker, keys in the tree's order, multi-line strings as
   * literal blocks, and quotes only where a plain scalar would read back as something else (a
   * number, a boolean, null) or would not parse.
   */
  public static String dump(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "{}\n";
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("cannot write YAML: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The node at a dotted path ({@code pack.content.images.0.image}); a numeric segment indexes a
   * list. A {@link MissingNode} when any step is absent.
   */
  public static JsonNode at(JsonNode root, String dottedPath) {
    JsonNode node = root == null ? MissingNode.getInstance() : root;
    if (dottedPath == null || dottedPath.isEmpty()) {
      return node;
    }
    for (String segment : dottedPath.split("\\.", -1)) {
      if (node.isObject()) {
        node = node.path(segment);
      } else if (node.isArray() && isIndex(segment)) {
        node = node.path(Integer.parseInt(segment));
      } else {
        return MissingNode.getInstance();
      }
      if (node.isMissingNode()) {
        return node;
      }
    }
    return node;
  }

  private static boolean isIndex(String segment) {
    return !segment.isEmpty()
        && segment.length() <= 9
        && segment.chars().allMatch(Character::isDigit);
  }

  private static ObjectNode readObject(JsonParser p) {
    ObjectNode node = NODES.objectNode();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
      String name = p.currentName();
      String at = where(p);
      JsonNode value = readValue(p, p.nextToken());
      if (node.has(name)) {
        throw new IllegalArgumentException(at + "duplicate key '" + name + "'");
      }
      node.set(name, value);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IllegalArgumentException(where(p) + "unexpected " + describe(t) + " in a mapping");
    }
    return node;
  }

  private static JsonNode readValue(JsonParser p, JsonToken t) {
    if (t == null) {
      throw new IllegalArgumentException("unexpected end of the YAML document");
    }
    switch (t) {
      case START_OBJECT:
        return readObject(p);
      case START_ARRAY:
        ArrayNode list = NODES.arrayNode();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, next));
        }
        return list;
      case VALUE_STRING:
        if (p instanceof YAMLParser && ((YAMLParser) p).isCurrentAlias()) {
          throw new IllegalArgumentException(
              where(p)
                  + "YAML aliases are not supported (*"
                  + p.getString()
                  + "); write the value out in full");
        }
        return NODES.stringNode(p.getString());
      case VALUE_NUMBER_INT:
        switch (p.getNumberType()) {
          case INT:
            return NODES.numberNode(p.getIntValue());
          case LONG:
            return NODES.numberNode(p.getLongValue());
          default:
            return NODES.numberNode(p.getBigIntegerValue());
        }
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      case VALUE_EMBEDDED_OBJECT:
        Object embedded = p.getEmbeddedObject();
        if (embedded instanceof byte[]) {
          return NODES.binaryNode((byte[]) embedded);
        }
        return embedded == null ? NODES.nullNode() : NODES.stringNode(embedded.toString());
      default:
        throw new IllegalArgumentException(where(p) + "unexpected " + describe(t));
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case START_ARRAY:
        return "a list";
      case START_OBJECT:
        return "a mapping";
      case VALUE_NULL:
        return "null";
      default:
        return "a single value";
    }
  }

  private static String where(JsonParser p) {
    TokenStreamLocation l = p.currentTokenLocation();
    if (l == null || l.getLineNr() < 1) {
      return "";
    }
    return "line " + l.getLineNr() + ", column " + l.getColumnNr() + ": ";
  }

  /**
   * A parser failure in one line. SnakeYAML's messages span several lines (context, problem and an
   * excerpt with a caret); keep the sentences and the position of the problem.
   */
  static String explain(JacksonException e) {
    String raw =
        e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    StringBuilder text = new StringBuilder();
    String line = null;
    String column = null;
    for (String part : raw.split("\n")) {
      if (part.isBlank()) {
        continue;
      }
      Matcher m = MARK.matcher(part);
      if (part.startsWith(" ") && m.find()) {
        line = m.group(1);
        column = m.group(2);
        continue;
      }
      if (part.startsWith(" ") || part.startsWith("\t")) {
        continue; // an excerpt of the input, or the caret under it
      }
      if (text.length() > 0) {
        text.append(": ");
      }
      text.append(part.strip());
    }
    if (line == null && e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      line = String.valueOf(e.getLocation().getLineNr());
      column = String.valueOf(e.getLocation().getColumnNr());
    }
    String message = text.length() == 0 ? raw.strip() : text.toString();
    return line == null ? message : "line " + line + ", column " + column + ": " + message;
  }

  static int utf8Length(CharSequence s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * Quotes every string that a YAML 1.1 or 1.2 reader could take for something else. Jackson's
   * default misses forms such as {@code 1e3} (a float in YAML 1.2) and {@code <<} (a merge key in
   * YAML 1.1); erring towards quotes costs nothing when the text is read back.
   */
  private static final class Quoting extends StringQuotingChecker {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteName(String name) {
      return ambiguous(name) || nameHasQuotableChar(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return ambiguous(value);
    }

    private boolean ambiguous(String s) {
      return isReservedKeyword(s)
          || looksLikeYAMLNumber(s)
          || valueHasQuotableChar(s)
          || s.equals("<<")
          || s.equals("=")
          || !s.equals(s.strip());
    }
  }
}
