package dev.easel.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's management cluster: three of the demo's VMware VMs (their second disk, /dev/sdb, is
 * the storage pool), formed from the appliance profile by cluster-former through node-discovery's
 * plans, which the simulated agent runs. A management cluster that exists already is left as it is,
 * so a second run forms nothing new.
 */
final class ClusterDemo {

  static final String NAME = "easel-management";

  /** In the demo nodes' network (10.0.0.0/16) and the address of none of them. */
  static final String VIP = "10.0.255.250";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String clusters;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String token;
  private final java.nio.file.Path tokenFile;
  private String runningId;

  /** A request through the gateway, as the devstack's own API token. */
  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
  }

  ClusterDemo(String clustersBase, String token, java.nio.file.Path tokenFile) {
    this.clusters = clustersBase;
    this.token = token;
    this.tokenFile = tokenFile;
  }

  /**
   * Forms the management cluster, or finds it, and waits for it to run.
   *
   * @return lines to print
   */
  List<String> run(Duration wait) throws Exception {
    List<String> out = new ArrayList<>();
    JsonNode existing = find();
    String id;
    if (existing != null) {
      id = existing.get("id").asString();
      out.add(
          "management cluster " + NAME + " exists already: " + existing.get("state").asString());
    } else {
      ObjectNode request = request();
      JsonNode verdict = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      // The profile and the nodes reach cluster-former as events; wait until they have.
      while (System.nanoTime() < deadline) {
        verdict = JSON.readTree(send("POST", "/api/v1/clusters/validate", request).body());
        if (verdict.path("valid").asBoolean(false)) {
          break;
        }
        Thread.sleep(1_000);
      }
      if (verdict == null || !verdict.path("valid").asBoolean(false)) {
        out.add("not formed: " + (verdict == null ? "no answer" : verdict.path("problems")));
        return out;
      }
      HttpResponse<String> created = send("POST", "/api/v1/clusters", request);
      if (created.statusCode() != 202) {
        out.add("not formed: " + created.statusCode() + " " + created.body());
        return out;
      }
      id = JSON.readTree(created.body()).get("id").asString();
    }
    String state = awaitSettled(id, wait);
    if (state.equals("RUNNING") || state.equals("DEGRADED")) {
      runningId = id;
    }
    out.add("management cluster " + NAME + " (" + id + "): " + state);
    String auth = "-H \"Authorization: Bearer $(cat " + tokenFile + ")\" ";
    out.add("timeline:   curl " + auth + clusters + "/api/v1/clusters/" + id + "/timeline");
    out.add("live:       curl -N " + auth + clusters + "/api/v1/clusters/" + id + "/events");
    out.add("kubeconfig: curl " + auth + clusters + "/api/v1/clusters/" + id + "/kubeconfig");
    return out;
  }

  /** The management cluster's id once it runs; null when it does not. */
  String runningId() {
    return runningId;
  }

  private JsonNode find() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/clusters?limit=200", null);
    if (r.statusCode() != 200) {
      return null;
    }
    for (JsonNode c : JSON.readTree(r.body()).path("items")) {
      if ("management".equals(c.path("kind").asString(""))) {
        return c;
      }
    }
    return null;
  }

  private String awaitSettled(String id, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    String state = "PROVISIONING";
    while (System.nanoTime() < deadline) {
      JsonNode c = JSON.readTree(send("GET", "/api/v1/clusters/" + id, null).body());
      state = c.path("state").asString("");
      if (!state.equals("PROVISIONING")) {
        if (state.equals("FAILED")) {
          return "FAILED at "
              + c.path("failure").path("step").asString("?")
              + ": "
              + c.path("failure").path("reason").asString("");
        }
        return state;
      }
      Thread.sleep(500);
    }
    return state + " (still forming; follow the timeline)";
  }

  private static ObjectNode request() {
    ObjectNode req = JSON.createObjectNode();
    req.put("name", NAME);
    req.put("kind", "management");
    req.putObject("tags").put("demo", "true");
    req.putObject("profile").put("name", PackDemo.PROFILE).put("version", PackDemo.VERSION);
    req.putObject("variables").put("registry_password", "demo-registry-password");
    ObjectNode config = req.putObject("config");
    config.put("vip", VIP);
    config.putArray("ntpServers").add("pool.ntp.org");
    config.put("storagePoolDevice", "/dev/sdb");
    config.put("csiPlacementCount", 3);
    config
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "demo-registry-password")
        .put("storageGiB", 100);
    req.putArray("nodePools")
        .addObject()
        .put("name", "control-plane-pool")
        .put("role", "control-plane")
        .put("selector", "easel.dev/platform=vsphere")
        .put("count", 3);
    return req;
  }

  private HttpResponse<String> send(String method, String path, ObjectNode body) throws Exception {
    HttpRequest.Builder b = request(URI.create(clusters + path)).timeout(Duration.ofSeconds(30));
    if (body != null) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
