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

/**
 * The compliance part of {@code --demo}, on the management cluster once it runs: every feature is
 * available (the demo uploaded both third-party packs), configuration security is enabled (its
 * install plan runs on the init node), and a configuration scan runs kube-bench on each node; its
 * report's counts are printed with the commands that download it as CSV and PDF. A feature enabled
 * already, or a scan run before, is used as it is.
 */
final class ComplianceDemo {

  static final String FEATURE = "configuration-security";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final String token;
  private final Path tokenFile;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ComplianceDemo(String base, String token, Path tokenFile) {
    this.base = base;
    this.token = token;
    this.tokenFile = tokenFile;
  }

  List<String> run(String clusterId, Duration wait) throws Exception {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + wait.toNanos();
    String features = "/api/v1/clusters/" + clusterId + "/compliance/features";
    // The cluster and the packs reach compliance as events; wait until all five are available.
    JsonNode list = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = send("GET", features, null);
      if (r.statusCode() == 200) {
        list = JSON.readTree(r.body());
        if (available(list) == 5) {
          break;
        }
      }
      Thread.sleep(500);
    }
    if (list == null) {
      out.add("compliance does not know the cluster yet");
      return out;
    }
    out.add("features available: " + available(list) + " of 5");
    HttpResponse<String> enabled = send("PUT", features + "/" + FEATURE, null);
    if (enabled.statusCode() >= 300) {
      out.add(FEATURE + " not enabled: " + enabled.statusCode() + " " + enabled.body());
      return out;
    }
    while (System.nanoTime() < deadline && !enabled(send("GET", features, null))) {
      Thread.sleep(500);
    }
    String scans = "/api/v1/clusters/" + clusterId + "/scans";
    String scanId = latestCompleted(scans);
    if (scanId == null) {
      HttpResponse<String> started = send("POST", scans, "{\"kind\":\"configuration\"}");
      if (started.statusCode() != 202) {
        out.add("scan not started: " + started.statusCode() + " " + started.body());
        return out;
      }
      scanId = JSON.readTree(started.body()).get("id").asString();
    }
    JsonNode scan = null;
    while (System.nanoTime() < deadline) {
      scan = JSON.readTree(send("GET", "/api/v1/scans/" + scanId, null).body());
      String state = scan.path("state").asString("");
      if (state.equals("Completed") || state.equals("Failed") || state.equals("Cancelled")) {
        break;
      }
      Thread.sleep(500);
    }
    String state = scan == null ? "?" : scan.path("state").asString("");
    out.add("configuration scan " + scanId + ": " + state + summary(scan));
    String auth = "-H \"Authorization: Bearer $(cat " + tokenFile + ")\" ";
    String report = base + "/api/v1/scans/" + scanId + "/report";
    out.add("report:     curl " + auth + report);
    out.add("as CSV:     curl -o scan.csv " + auth + "'" + report + "?format=csv'");
    out.add("as PDF:     curl -o scan.pdf " + auth + "'" + report + "?format=pdf'");
    return out;
  }

  private static boolean enabled(HttpResponse<String> features) {
    if (features.statusCode() != 200) {
      return false;
    }
    for (JsonNode f : JSON.readTree(features.body()).path("features")) {
      if (f.path("feature").asString("").equals(FEATURE)) {
        return f.path("enabled").asBoolean(false);
      }
    }
    return false;
  }

  private static int available(JsonNode list) {
    int n = 0;
    for (JsonNode f : list.path("features")) {
      if (f.path("available").asBoolean(false)) {
        n++;
      }
    }
    return n;
  }

  private String latestCompleted(String scans) throws Exception {
    HttpResponse<String> r = send("GET", scans + "?kind=configuration&limit=1", null);
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode s : JSON.readTree(r.body()).path("scans")) {
      if (s.path("state").asString("").equals("Completed")) {
        return s.path("id").asString();
      }
    }
    return null;
  }

  private static String summary(JsonNode scan) {
    if (scan == null || !scan.path("summary").isObject()) {
      return scan == null ? "" : " " + scan.path("reason").asString("");
    }
    JsonNode s = scan.path("summary");
    return String.format(
        " (pass %d, fail %d, warn %d, info %d)",
        s.path("pass").asLong(0),
        s.path("fail").asLong(0),
        s.path("warn").asLong(0),
        s.path("info").asLong(0));
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token);
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
