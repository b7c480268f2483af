package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.ReportRejected;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The JSON and YAML readers the parsers share, bound by a {@link ReportLimits}, and helpers to read
 * the small trees they take from a report one item at a time.
 *
 * <p>The readers set their own constraints instead of taking Jackson's process-wide defaults, which
 * a service tightens for request bodies (16 MiB documents): a tool's report is larger than any
 * request, and is bounded here by {@link ReportLimits#maxBytes()} instead. Readers never close the
 * stream they read, which the caller owns.
 */
final class ReportJson {

  /** No report the parsers read nests half as deep; a hostile one could nest a million levels. */
  static final int MAX_NESTING_DEPTH = 100;

  /** The longest single string: far more than a failure message or a test's output needs. */
  static final int MAX_STRING_LENGTH = 32 << 20;

  private final ReportLimits limits;
  private final JsonMapper json;
  private final YAMLMapper yaml;

  ReportJson(ReportLimits limits) {
    this.limits = limits;
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .build();
    this.json =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(constraints)
                    .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .build())
            .build();
    // SnakeYAML stops at 3 MB of input unless told otherwise; a results tree of a full conformance
    // run is larger. The byte limit already bounds the document.
    LoadSettings yamlSettings =
        LoadSettings.builder()
            .setCodePointLimit((int) Math.min(limits.maxUncompressedBytes(), Integer.MAX_VALUE))
            .build();
    this.yaml =
        YAMLMapper.builder(
                YAMLFactory.builder()
                    .streamReadConstraints(constraints)
                    .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                    .loadSettings(yamlSettings)
                    .build())
            .build();
  }

  ReportLimits limits() {
    return limits;
  }

  /** Counts {@code in} against {@link ReportLimits#maxBytes()}. */
  InputStream limit(InputStream in) {
    return new LimitedInputStream(
        in, limits.maxBytes(), "is larger than " + ReportLimits.describe(limits.maxBytes()));
  }

  /** A JSON parser over {@code in}, counted against {@link ReportLimits#maxBytes()}. */
  JsonParser open(InputStream in) {
    return json.createParser(limit(in));
  }

  /** A JSON parser over bytes already counted. */
  JsonParser openCounted(InputStream in) {
    return json.createParser(in);
  }

  /** A JSON parser over the first bytes of a report, to tell what it is. */
  JsonParser openHead(byte[] head) {
    return json.createParser(head);
  }

  /** A YAML parser over bytes already counted (an archive entry). */
  JsonParser openYaml(InputStream in) {
    return yaml.createParser(in);
  }

  /** Fails unless the parser has reached the end of its input: a report is one document. */
  static void expectEnd(JsonParser p, String what) throws ReportRejected {
    if (p.nextToken() != null) {
      throw new ReportRejected(what + " has more content after its end");
    }
  }

  /** A field's text: a string, or a number or boolean written out; null when absent or blank. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.isNull()) {
      return null;
    }
    String text = value.asString();
    return text.isBlank() ? null : text;
  }

  /** The non-blank texts of an array; empty when the field is absent or not an array. */
  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode item : array.values()) {
        if (item.isValueNode() && !item.isNull() && !item.asString().isBlank()) {
          out.add(item.asString());
        }
      }
    }
    return out;
  }

  /** Text without surrounding whitespace; null when blank. */
  static String strip(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
