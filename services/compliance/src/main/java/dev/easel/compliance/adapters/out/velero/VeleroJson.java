package dev.easel.compliance.adapters.out.velero;

import dev.easel.compliance.application.port.VeleroReader;
import dev.easel.compliance.domain.backup.VeleroStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Velero's Backup and Restore custom resources (velero.io/v1), as {@code velero backup get NAME -o
 * json} prints them and as {@code velero-backup.json} holds them. Only the fields Easel shows are
 * read; the rest may change between Velero versions without harm.
 */
@Component
class VeleroJson implements VeleroReader {

  /** A resource's document is small; anything nested deeper is not one. */
  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(64)
                          .maxStringLength(1 << 20)
                          .build())
                  .build())
          .build();

  @Override
  public VeleroStatus backup(byte[] json) {
    JsonNode n = parse(json, "Backup");
    JsonNode spec = n.path("spec");
    JsonNode status = n.path("status");
    JsonNode progress = status.path("progress");
    return new VeleroStatus(
        text(n.path("metadata").path("name")),
        text(status.path("phase")),
        progress.path("itemsBackedUp").asLong(0),
        progress.path("totalItems").asLong(0),
        status.path("errors").asInt(0),
        status.path("warnings").asInt(0),
        text(status.path("failureReason")),
        strings(status.path("validationErrors")),
        labels(n.path("metadata").path("labels")),
        strings(spec.path("includedNamespaces")),
        strings(spec.path("excludedNamespaces")),
        bool(spec.path("includeClusterResources")),
        bool(spec.path("snapshotVolumes")),
        text(spec.path("storageLocation")),
        time(n.path("metadata").path("creationTimestamp")),
        time(status.path("startTimestamp")),
        time(status.path("completionTimestamp")),
        time(status.path("expiration")));
  }

  @Override
  public VeleroStatus restore(String json) {
    JsonNode n =
        parse(json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), "Restore");
    JsonNode spec = n.path("spec");
    JsonNode status = n.path("status");
    JsonNode progress = status.path("progress");
    return new VeleroStatus(
        text(n.path("metadata").path("name")),
        text(status.path("phase")),
        progress.path("itemsRestored").asLong(0),
        progress.path("totalItems").asLong(0),
        status.path("errors").asInt(0),
        status.path("warnings").asInt(0),
        text(status.path("failureReason")),
        strings(status.path("validationErrors")),
        labels(n.path("metadata").path("labels")),
        strings(spec.path("includedNamespaces")),
        strings(spec.path("excludedNamespaces")),
        bool(spec.path("includeClusterResources")),
        bool(spec.path("restorePVs")),
        null,
        time(n.path("metadata").path("creationTimestamp")),
        time(status.path("startTimestamp")),
        time(status.path("completionTimestamp")),
        null);
  }

  private static JsonNode parse(byte[] json, String kind) {
    if (json.length == 0) {
      throw new IllegalArgumentException("Velero printed nothing");
    }
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String api = text(n.path("apiVersion"));
    String k = text(n.path("kind"));
    if (!"velero.io/v1".equals(api) || !kind.equals(k)) {
      throw new IllegalArgumentException(
          "not a velero.io/v1 " + kind + " but " + (api == null ? "?" : api) + " " + k);
    }
    if (text(n.path("metadata").path("name")) == null) {
      throw new IllegalArgumentException("the " + kind + " has no name");
    }
    return n;
  }

  private static String text(JsonNode n) {
    return n.isString() && !n.asString().isEmpty() ? n.asString() : null;
  }

  private static Boolean bool(JsonNode n) {
    return n.isBoolean() ? n.asBoolean() : null;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      for (JsonNode e : n) {
        if (e.isString()) {
          out.add(e.asString());
        }
      }
    }
    return out;
  }

  private static Map<String, String> labels(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        if (e.getValue().isString()) {
          out.put(e.getKey(), e.getValue().asString());
        }
      }
    }
    return out;
  }

  private static Instant time(JsonNode n) {
    String s = text(n);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
