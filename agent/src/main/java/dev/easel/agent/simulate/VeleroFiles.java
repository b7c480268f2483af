package dev.easel.agent.simulate;

import dev.easel.agent.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files Velero keeps in a location's bucket, in its formats ({@code pkg/persistence}): a
 * backup's contents tarball of resource JSON (format 1.1.0: each item under its group-resource, and
 * again under its preferred version), its resource list, logs and results; and the JSON kubectl and
 * the Velero CLI print.
 */
final class VeleroFiles {

  /** {@code pkg/backup}'s BackupFormatVersion. */
  static final String FORMAT_VERSION = "1.1.0";

  /** The namespaces of a simulated cluster, which a backup of every namespace takes. */
  static final List<String> NAMESPACES = List.of("default", "kube-system", "easel-apps");

  /** As Go's {@code json.MarshalIndent(v, "", " ")} writes: what kubectl and Velero print. */
  private static final ObjectWriter GO_JSON =
      Json.MAPPER
          .writer()
          .with(
              new DefaultPrettyPrinter(
                      Separators.createDefaultInstance()
                          .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                          .withObjectEmptySeparator("")
                          .withArrayEmptySeparator(""))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                  .withObjectIndenter(new DefaultIndenter("  ", "\n")));

  private VeleroFiles() {}

  /** {@code node} as Go indents JSON, ending in a newline as the CLI prints it. */
  static String json(JsonNode node) {
    return GO_JSON.writeValueAsString(node) + "\n";
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(String content) {
    return gzip(content.getBytes(StandardCharsets.UTF_8));
  }

  /** What a backup with these selections takes of a simulated cluster's namespaces. */
  static List<String> namespaces(List<String> included, List<String> excluded) {
    List<String> out = new ArrayList<>();
    if (included.isEmpty() || included.contains("*")) {
      out.addAll(NAMESPACES);
    }
    for (String ns : included) {
      if (!ns.equals("*") && !out.contains(ns)) {
        out.add(ns);
      }
    }
    out.removeAll(excluded);
    return out;
  }

  /** One item of a backup: where it sits in the tarball, and what it is. */
  private record Item(
      String groupResource, String apiVersion, String kind, String ns, String name) {

    String version() {
      return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    String scope() {
      return ns == null ? "cluster" : "namespaces/" + ns;
    }
  }

  private static List<Item> items(List<String> namespaces, Boolean clusterResources) {
    List<Item> items = new ArrayList<>();
    for (String ns : namespaces) {
      items.add(new Item("namespaces", "v1", "Namespace", null, ns));
      items.add(new Item("configmaps", "v1", "ConfigMap", ns, "kube-root-ca.crt"));
      items.add(new Item("serviceaccounts", "v1", "ServiceAccount", ns, "default"));
      items.add(new Item("deployments.apps", "apps/v1", "Deployment", ns, "web"));
    }
    if (Boolean.TRUE.equals(clusterResources)) {
      items.add(
          new Item(
              "clusterroles.rbac.authorization.k8s.io",
              "rbac.authorization.k8s.io/v1",
              "ClusterRole",
              null,
              "easel-viewer"));
    }
    return items;
  }

  /**
   * {@code <backup>.tar.gz}: {@code metadata/version}, then each item at {@code
   * resources/<group-resource>/<scope>/<name>.json} and at {@code
   * resources/<group-resource>/<version>-preferredversion/<scope>/<name>.json}.
   */
  static byte[] contents(List<String> namespaces, Boolean clusterResources, Instant created) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("metadata/version", FORMAT_VERSION.getBytes(StandardCharsets.UTF_8));
    for (Item item : items(namespaces, clusterResources)) {
      byte[] json = Json.MAPPER.writeValueAsBytes(resource(item, created));
      String file = item.scope() + "/" + item.name() + ".json";
      files.put("resources/" + item.groupResource() + "/" + file, json);
      files.put(
          "resources/" + item.groupResource() + "/" + item.version() + "-preferredversion/" + file,
          json);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(f.getValue().length);
        e.setModTime(created.toEpochMilli());
        e.setMode(0755);
        tar.putArchiveEntry(e);
        tar.write(f.getValue());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static ObjectNode resource(Item item, Instant created) {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("apiVersion", item.apiVersion());
    r.put("kind", item.kind());
    ObjectNode metadata = r.putObject("metadata");
    metadata.put("name", item.name());
    if (item.ns() != null) {
      metadata.put("namespace", item.ns());
    }
    metadata.put(
        "uid",
        UUID.nameUUIDFromBytes(
                (item.scope() + "/" + item.groupResource() + "/" + item.name())
                    .getBytes(StandardCharsets.UTF_8))
            .toString());
    metadata.put("creationTimestamp", SimulatedVelero.timestamp(created));
    switch (item.kind()) {
      case "Namespace" -> r.putObject("status").put("phase", "Active");
      case "ConfigMap" -> r.putObject("data").put("ca.crt", "simulated");
      case "Deployment" -> {
        ObjectNode spec = r.putObject("spec");
        spec.put("replicas", 2);
        spec.putObject("selector").putObject("matchLabels").put("app", item.name());
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", item.name());
        ObjectNode container = template.putObject("spec").putArray("containers").addObject();
        container.put("name", item.name());
        container.put("image", "docker.io/library/nginx:1.27");
      }
      case "ClusterRole" -> {
        ObjectNode rule = r.putArray("rules").addObject();
        rule.putArray("apiGroups").add("");
        rule.putArray("resources").add("pods");
        rule.putArray("verbs").add("get").add("list");
      }
      default -> {}
    }
    return r;
  }

  /**
   * {@code <backup>-resource-list.json.gz}: for each {@code <apiVersion>/<Kind>}, the items as
   * {@code <namespace>/<name>}, or {@code <name>} when cluster-scoped.
   */
  static byte[] resourceList(List<String> namespaces, Boolean clusterResources) {
    Map<String, List<String>> list = new TreeMap<>();
    for (Item item : items(namespaces, clusterResources)) {
      list.computeIfAbsent(item.apiVersion() + "/" + item.kind(), k -> new ArrayList<>())
          .add(item.ns() == null ? item.name() : item.ns() + "/" + item.name());
    }
    return gzip(Json.MAPPER.writeValueAsBytes(list));
  }

  /**
   * A results file, {@code {"errors":{...},"warnings":{}}}: errors per namespace, none for Velero
   * itself or the cluster.
   */
  static byte[] results(Map<String, List<String>> namespaceErrors) {
    ObjectNode doc = Json.MAPPER.createObjectNode();
    ObjectNode errors = doc.putObject("errors");
    if (!namespaceErrors.isEmpty()) {
      ObjectNode namespaces = errors.putObject("namespaces");
      namespaceErrors.forEach(
          (ns, list) -> {
            ArrayNode each = namespaces.putArray(ns);
            list.forEach(each::add);
          });
    }
    doc.putObject("warnings");
    return gzip(Json.MAPPER.writeValueAsBytes(doc));
  }

  /** A logrus line as Velero's per-backup and per-restore logs hold them. */
  static String logLine(Instant at, String level, String message, String subject) {
    return "time=\""
        + SimulatedVelero.timestamp(at)
        + "\" level="
        + level
        + " msg=\""
        + message.replace("\"", "\\\"")
        + "\" "
        + subject
        + " logSource=\"pkg/controller/simulated.go:1\"\n";
  }
}
