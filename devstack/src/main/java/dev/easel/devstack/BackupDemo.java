package dev.easel.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The backup part of {@code --demo}, on the management cluster once it runs: backup and restore is
 * enabled (the Velero chart's install plan runs on the init node), the devstack's S3Proxy is
 * registered as the backup location {@value #LOCATION}, the cluster's {@code default} namespace is
 * backed up there by the simulated Velero, the location is synced from its bucket to show the
 * backup is there, and the backup is restored into the same cluster as {@value #RESTORED}. A
 * feature enabled already, or a location registered before, is used as it is; every run makes a new
 * backup and restore.
 */
final class BackupDemo {

  static final String FEATURE = "backup-restore";
  static final String LOCATION = "devstack";
  static final String PREFIX = "easel";
  static final String RESTORED = "default-restored";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final String token;
  private final Path tokenFile;
  private final String s3Endpoint;
  private final String s3Secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  BackupDemo(String base, String token, Path tokenFile, String s3Endpoint, String s3Secret) {
    this.base = base;
    this.token = token;
    this.tokenFile = tokenFile;
    this.s3Endpoint = s3Endpoint;
    this.s3Secret = s3Secret;
  }

  /**
   * @return lines to print; a step that does not work ends the steps with what went wrong
   */
  List<String> run(String clusterId, Duration wait) throws Exception {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    JsonNode location = enable(clusterId, deadline, out) ? location(out) : null;
    if (location == null) {
      return out;
    }
    String locationId = location.get("id").asString();
    String backup = backUp(clusterId, deadline, out);
    if (backup != null && inBucket(locationId, backup, out)) {
      restore(clusterId, backup, deadline, out);
    }
    String auth = "-H \"Authorization: Bearer $(cat " + tokenFile + ")\" ";
    out.add("backups:    curl " + auth + base + "/api/v1/clusters/" + clusterId + "/backups");
    out.add(
        "in bucket:  curl " + auth + base + "/api/v1/backup-locations/" + locationId + "/backups");
    out.add("restores:   curl " + auth + base + "/api/v1/clusters/" + clusterId + "/restores");
    return out;
  }

  /** The cluster's {@code default} namespace into the location; its name once Completed. */
  private String backUp(String clusterId, long deadline, List<String> out) throws Exception {
    HttpResponse<String> started =
        send(
            "POST",
            "/api/v1/clusters/" + clusterId + "/backups",
            "{\"location\":\"" + LOCATION + "\",\"includeNamespaces\":[\"default\"]}");
    if (started.statusCode() != 202) {
      out.add("backup not started: " + started.statusCode() + " " + started.body());
      return null;
    }
    JsonNode backup = JSON.readTree(started.body());
    String name = backup.get("name").asString();
    backup = awaitFinal("/api/v1/backups/" + backup.get("id").asString(), deadline);
    String state = backup.path("state").asString("");
    out.add(
        "backup " + name + " of namespace default: " + state + progress(backup, "itemsBackedUp"));
    return state.equals("Completed") ? name : null;
  }

  /**
   * Reads the location's bucket now, rather than at the next minute's sync, and whether the backup
   * is among the location's backups.
   */
  private boolean inBucket(String locationId, String backup, List<String> out) throws Exception {
    HttpResponse<String> synced =
        send("POST", "/api/v1/backup-locations/" + locationId + "/sync", null);
    if (synced.statusCode() != 200) {
      out.add("location not synced: " + synced.statusCode() + " " + synced.body());
      return false;
    }
    JsonNode sync = JSON.readTree(synced.body());
    boolean listed = false;
    for (JsonNode b :
        JSON.readTree(
                send("GET", "/api/v1/backup-locations/" + locationId + "/backups", null).body())
            .path("backups")) {
      listed |= b.path("name").asString("").equals(backup);
    }
    out.add(
        String.format(
            "bucket %s, prefix %s: %d listed, %d unreadable; %s %s",
            LocalObjectStore.BUCKET,
            PREFIX,
            sync.path("listed").asLong(0),
            sync.path("unreadable").asLong(0),
            backup,
            listed ? "is in the location's backups" : "is NOT in the location's backups"));
    return listed;
  }

  /** The backup into the same cluster, its {@code default} namespace as {@value #RESTORED}. */
  private void restore(String clusterId, String backup, long deadline, List<String> out)
      throws Exception {
    HttpResponse<String> started =
        send(
            "POST",
            "/api/v1/clusters/" + clusterId + "/restores",
            "{\"backup\":\""
                + backup
                + "\",\"namespaceMappings\":{\"default\":\""
                + RESTORED
                + "\"}}");
    if (started.statusCode() != 202) {
      out.add("restore not started: " + started.statusCode() + " " + started.body());
      return;
    }
    String id = JSON.readTree(started.body()).get("id").asString();
    JsonNode restore = awaitFinal("/api/v1/restores/" + id, deadline);
    out.add(
        "restore "
            + restore.path("name").asString(id)
            + " into namespace "
            + RESTORED
            + ": "
            + restore.path("state").asString("")
            + progress(restore, "itemsRestored"));
  }

  /** Enables the feature unless it is, and waits for its install plan; false when it failed. */
  private boolean enable(String clusterId, long deadline, List<String> out) throws Exception {
    String features = "/api/v1/clusters/" + clusterId + "/compliance/features";
    JsonNode feature = feature(features);
    if (feature == null || !feature.path("enabled").asBoolean(false)) {
      HttpResponse<String> put = send("PUT", features + "/" + FEATURE, null);
      if (put.statusCode() >= 300) {
        out.add(FEATURE + " not enabled: " + put.statusCode() + " " + put.body());
        return false;
      }
      // One PUT: the install plan is running; its outcome shows in the feature's installation.
      while (System.nanoTime() < deadline) {
        feature = feature(features);
        if (feature != null && feature.path("enabled").asBoolean(false)) {
          break;
        }
        JsonNode install = feature == null ? null : feature.path("installation");
        if (install != null && install.path("state").asString("").equals("failed")) {
          out.add(
              FEATURE + " not enabled: its install failed: " + install.path("reason").asString(""));
          return false;
        }
        Thread.sleep(500);
      }
    }
    if (feature == null || !feature.path("enabled").asBoolean(false)) {
      out.add(FEATURE + " not enabled in time");
      return false;
    }
    out.add(
        FEATURE
            + " enabled ("
            + feature.path("pack").asString("")
            + " "
            + feature.path("availableVersion").asString("")
            + ", "
            + feature.path("tool").asString("")
            + ")");
    return true;
  }

  private JsonNode feature(String features) throws Exception {
    HttpResponse<String> r = send("GET", features, null);
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode f : JSON.readTree(r.body()).path("features")) {
      if (f.path("feature").asString("").equals(FEATURE)) {
        return f;
      }
    }
    return null;
  }

  /**
   * The devstack's S3Proxy as the location {@value #LOCATION}: added, or found when a run before
   * added it, and pointed at this run's endpoint when the ports moved since.
   */
  private JsonNode location(List<String> out) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", LOCATION);
    body.put("provider", "minio");
    body.put("bucket", LocalObjectStore.BUCKET);
    body.put("prefix", PREFIX);
    body.put("endpoint", s3Endpoint);
    body.putObject("credentials")
        .put("accessKeyId", LocalObjectStore.IDENTITY)
        .put("secretAccessKey", s3Secret);
    HttpResponse<String> created = send("POST", "/api/v1/backup-locations", body.toString());
    if (created.statusCode() == 201) {
      JsonNode l = JSON.readTree(created.body());
      out.add(describe(l, "added"));
      return l;
    }
    if (created.statusCode() != 409) {
      out.add("location not added: " + created.statusCode() + " " + created.body());
      return null;
    }
    JsonNode existing = null;
    for (JsonNode l :
        JSON.readTree(send("GET", "/api/v1/backup-locations", null).body()).path("locations")) {
      if (l.path("name").asString("").equals(LOCATION)) {
        existing = l;
      }
    }
    if (existing == null) {
      out.add("location not added: " + created.statusCode() + " " + created.body());
      return null;
    }
    if (existing.path("endpoint").asString("").equals(s3Endpoint)) {
      out.add(describe(existing, "exists already"));
      return existing;
    }
    ObjectNode change = JSON.createObjectNode();
    change.put("endpoint", s3Endpoint);
    change.set("credentials", body.get("credentials"));
    HttpResponse<String> changed =
        send(
            "PATCH",
            "/api/v1/backup-locations/" + existing.get("id").asString(),
            change.toString(),
            "\"" + existing.path("version").asLong() + "\"");
    if (changed.statusCode() != 200) {
      out.add(
          "location not moved to "
              + s3Endpoint
              + ": "
              + changed.statusCode()
              + " "
              + changed.body());
      return null;
    }
    JsonNode l = JSON.readTree(changed.body());
    out.add(describe(l, "moved to this run's port"));
    return l;
  }

  private static String describe(JsonNode l, String what) {
    return "location "
        + l.path("name").asString("")
        + " "
        + what
        + ": "
        + l.path("endpoint").asString("")
        + " bucket "
        + l.path("bucket").asString("")
        + " prefix "
        + l.path("prefix").asString("")
        + ", "
        + l.path("health").path("state").asString("health unknown");
  }

  /** Reads a backup or restore until its state is final, or the time is up. */
  private JsonNode awaitFinal(String path, long deadline) throws Exception {
    JsonNode run = JSON.createObjectNode();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send("GET", path, null);
      if (r.statusCode() == 200) {
        run = JSON.readTree(r.body());
        String state = run.path("state").asString("");
        if (state.equals("Completed")
            || state.equals("PartiallyFailed")
            || state.equals("Failed")) {
          return run;
        }
      }
      Thread.sleep(500);
    }
    return run;
  }

  private static String progress(JsonNode run, String done) {
    String reason = run.path("failureReason").asString("");
    return String.format(
        " (%d of %d items, %d errors, %d warnings%s)",
        run.path(done).asLong(0),
        run.path("totalItems").asLong(0),
        run.path("errors").asLong(0),
        run.path("warnings").asLong(0),
        reason.isEmpty() ? "" : "; " + reason);
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, null);
  }

  private HttpResponse<String> send(String method, String path, String body, String ifMatch)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
