package dev.easel.clusters.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.clusters.support.Events;
import dev.easel.clusters.support.RunningClusterFormer;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeJoinedCluster;
import dev.easel.contracts.nodes.NodeLeftCluster;
import dev.easel.contracts.nodes.NodeReleased;
import dev.easel.contracts.nodes.NodeReserved;
import dev.easel.contracts.packs.ProfileVersionDeleted;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dry run of a cluster request against the real service, its copy of the nodes and profiles
 * built from events on the real broker, kept in the real PostgreSQL.
 */
class ValidationApiTest {

  private static RunningClusterFormer clusters;
  private static final List<UUID> LAB = new ArrayList<>();
  private static final UUID WORKER = UUID.randomUUID();

  @BeforeAll
  static void start() {
    clusters = RunningClusterFormer.start("clusters_validation");
    for (int i = 0; i < 4; i++) {
      UUID id = UUID.randomUUID();
      LAB.add(id);
      clusters.sendNodeEvent(
          id, Events.REGISTERED, Events.registered(id, "lab-" + i, 11 + i, "lab"));
    }
    clusters.sendNodeEvent(
        WORKER, Events.REGISTERED, Events.registered(WORKER, "edge-w1", 30, "edge"));
    clusters.send(
        clusters.packTopic(),
        "easel-appliance",
        Events.PUBLISHED,
        Events.appliance("easel-appliance", "1.0.0"));
    awaitValidation(valid(), r -> r.get("valid").asBoolean());
  }

  @AfterAll
  static void stop() {
    if (clusters != null) {
      clusters.close();
    }
  }

  @Test
  void aValidRequestIsAnsweredValidWithTheNodesEachPoolTakes() throws Exception {
    HttpResponse<String> r = clusters.call("POST", "/api/v1/clusters/validate", valid().toString());
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = clusters.json(r);
    assertThat(body.get("valid").asBoolean()).as(r.body()).isTrue();
    assertThat(body.get("problems")).isEmpty();
    JsonNode cp = body.get("nodePools").get(0);
    assertThat(cp.get("role").asString()).isEqualTo("control-plane");
    assertThat(cp.get("nodes")).hasSize(3);
    for (JsonNode n : cp.get("nodes")) {
      assertThat(n.get("hostname").asString()).startsWith("lab-");
      assertThat(n.get("state").asString()).isEqualTo("READY");
    }
    assertThat(body.get("nodePools").get(1).get("nodes").get(0).get("id").asString())
        .isEqualTo(WORKER.toString());
    assertThat(body.get("effectiveConfig").get("podCidr").asString()).isEqualTo("100.64.0.0/18");
    assertThat(body.get("profile").get("kubernetesVersion").asString()).isEqualTo("1.32.3");
  }

  @Test
  void everyProblemIsAnsweredAtOnceEachWithItsField() throws Exception {
    ObjectNode req = valid();
    ObjectNode config = (ObjectNode) req.get("config");
    config.put("podCidr", "100.64.0.0/16"); // overlaps the default service CIDR
    config.put("vip", "192.168.7.10"); // outside the nodes' subnet
    config.putArray("sshKeys").add("ssh-rsa AAAAnot-a-key");
    config.put("csiPlacementCount", 2);
    config.putArray("ntpServers").add("-bad-.example");
    ((ObjectNode) req.get("variables")).put("site_name", "Lab 1").put("colour", "blue");
    ((ObjectNode) req.get("nodePools").get(0)).put("count", 2);

    JsonNode body =
        clusters.json(clusters.call("POST", "/api/v1/clusters/validate", req.toString()));

    assertThat(body.get("valid").asBoolean()).isFalse();
    List<String> fields = new ArrayList<>();
    body.get("problems")
        .forEach(p -> fields.add(p.get("field").asString() + " " + p.get("code").asString()));
    assertThat(fields)
        .as(body.toPrettyString())
        .contains(
            "variables.colour unknown-variable",
            "variables.site_name pattern-mismatch",
            "config.sshKeys[0] invalid-ssh-key",
            "config.csiPlacementCount invalid-csi-placement",
            "config.ntpServers[0] invalid-ntp-server")
        .anyMatch(f -> f.startsWith("config.podCidr cidr-overlap"))
        .anyMatch(f -> f.startsWith("config.vip vip-outside-subnet"))
        .anyMatch(f -> f.startsWith("nodePools[0]") && f.endsWith("invalid-control-plane-count"));
  }

  @Test
  void aReservedNodeIsNotFreeAndAReleasedOneIsAgain() throws Exception {
    UUID id = UUID.randomUUID();
    clusters.sendNodeEvent(id, Events.REGISTERED, Events.registered(id, "res-1", 41, "res"));
    ObjectNode req = explicit(id);
    awaitValidation(req, r -> r.get("valid").asBoolean());

    clusters.sendNodeEvent(
        id, Events.RESERVED, new NodeReserved(id, "formation-x", "cluster-former", Instant.now()));
    JsonNode refused = awaitValidation(req, r -> !r.get("valid").asBoolean());
    assertThat(refused.get("problems").toString()).contains("node-not-free").contains("res-1");

    clusters.sendNodeEvent(id, Events.RELEASED, new NodeReleased(id, "formation-x", Instant.now()));
    awaitValidation(req, r -> r.get("valid").asBoolean());
  }

  @Test
  void aNodeInAClusterIsNotFreeAndOneThatLeftItIsAgain() throws Exception {
    UUID id = UUID.randomUUID();
    clusters.sendNodeEvent(id, Events.REGISTERED, Events.registered(id, "member-1", 44, "member"));
    clusters.sendNodeEvent(
        id, Events.RESERVED, new NodeReserved(id, "formation-m", "cluster-former", Instant.now()));
    clusters.sendNodeEvent(
        id, Events.JOINED, new NodeJoinedCluster(id, "cluster-m", "formation-m", Instant.now()));
    ObjectNode req = explicit(id);
    JsonNode member =
        awaitValidation(req, r -> r.get("problems").toString().contains("IN_CLUSTER"));
    assertThat(member.get("problems").toString()).contains("node-not-free").contains("member-1");

    clusters.sendNodeEvent(id, Events.LEFT, new NodeLeftCluster(id, "cluster-m", Instant.now()));
    awaitValidation(req, r -> r.get("valid").asBoolean());
  }

  @Test
  void anEventDeliveredTwiceIsAppliedOnce() throws Exception {
    UUID id = UUID.randomUUID();
    clusters.sendNodeEvent(id, Events.REGISTERED, Events.registered(id, "dup-1", 42, "dup"));
    String reservedId = UUID.randomUUID().toString();
    clusters.sendWithId(
        clusters.nodeTopic(),
        id.toString(),
        reservedId,
        Events.RESERVED,
        new NodeReserved(id, "formation-y", "cluster-former", Instant.now()));
    clusters.sendNodeEvent(id, Events.RELEASED, new NodeReleased(id, "formation-y", Instant.now()));
    ObjectNode req = explicit(id);
    awaitValidation(req, r -> r.get("valid").asBoolean());

    // The same reservation again, redelivered with its id: the inbox has handled it already.
    clusters.sendWithId(
        clusters.nodeTopic(),
        id.toString(),
        reservedId,
        Events.RESERVED,
        new NodeReserved(id, "formation-y", "cluster-former", Instant.now()));
    // A marker after it, on the same key: once it is applied, the duplicate was seen before it.
    clusters.sendNodeEvent(
        id, Events.UNREACHABLE, new NodeBecameUnreachable(id, Instant.now(), Instant.now()));
    JsonNode after =
        awaitValidation(req, r -> r.get("problems").toString().contains("UNREACHABLE"));
    assertThat(after.get("problems").toString()).doesNotContain("RESERVED");
  }

  @Test
  void anEventForANodeNeverRegisteredChangesNothing() throws Exception {
    UUID id = UUID.randomUUID();
    clusters.sendNodeEvent(
        id, Events.RESERVED, new NodeReserved(id, "formation-z", "cluster-former", Instant.now()));
    clusters.sendNodeEvent(id, Events.REGISTERED, Events.registered(id, "late-1", 43, "late"));
    JsonNode r = awaitValidation(explicit(id), v -> v.get("valid").asBoolean());
    assertThat(r.get("nodePools").get(0).get("nodes").get(0).get("state").asString())
        .isEqualTo("READY");
  }

  @Test
  void aDeletedProfileVersionIsNoLongerAccepted() throws Exception {
    clusters.send(
        clusters.packTopic(),
        "short-lived",
        Events.PUBLISHED,
        Events.appliance("short-lived", "0.1.0"));
    ObjectNode req = valid();
    ((ObjectNode) req.get("profile")).put("name", "short-lived").put("version", "0.1.0");
    awaitValidation(req, r -> r.get("valid").asBoolean());
    clusters.send(
        clusters.packTopic(),
        "short-lived",
        Events.VERSION_DELETED,
        new ProfileVersionDeleted("short-lived", "0.1.0", true, Instant.now()));
    JsonNode r = awaitValidation(req, v -> !v.get("valid").asBoolean());
    assertThat(r.get("problems").toString()).contains("profile-not-published");
  }

  @Test
  void malformedOversizedAndWronglyTypedRequestsGetProblemsAndChangeNothing() throws Exception {
    HttpResponse<String> malformed =
        clusters.call("POST", "/api/v1/clusters/validate", "{\"name\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(clusters.json(malformed).get("type").asString()).endsWith("/malformed-body");

    String huge = "{\"name\":\"" + "x".repeat(300 * 1024) + "\"}";
    HttpResponse<String> oversized = clusters.call("POST", "/api/v1/clusters/validate", huge);
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(clusters.json(oversized).get("type").asString())
        .endsWith("/cluster-request-too-large");

    ObjectNode badMode = valid();
    ((ObjectNode) badMode.get("config")).putObject("registry").put("mode", "cloud");
    HttpResponse<String> mode =
        clusters.call("POST", "/api/v1/clusters/validate", badMode.toString());
    assertThat(mode.statusCode()).isEqualTo(400);
    assertThat(clusters.json(mode).get("errors").get(0).get("field").asString())
        .isEqualTo("config.registry.mode");

    HttpResponse<String> text =
        clusters.call("POST", "/api/v1/clusters/validate", "name=x", "text/plain");
    assertThat(text.statusCode()).isEqualTo(415);

    // Nothing of the refused requests was kept: the valid request is still valid.
    assertThat(
            clusters
                .json(clusters.call("POST", "/api/v1/clusters/validate", valid().toString()))
                .get("valid")
                .asBoolean())
        .isTrue();
  }

  @Test
  void theRegistryPasswordIsNeverEchoed() throws Exception {
    ObjectNode req = valid();
    ((ObjectNode) req.get("config"))
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "s3cret-Registry-pw")
        .put("storageGiB", 200);
    HttpResponse<String> r = clusters.call("POST", "/api/v1/clusters/validate", req.toString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(clusters.json(r).get("valid").asBoolean()).as(r.body()).isTrue();
    assertThat(r.body()).doesNotContain("s3cret-Registry-pw");
  }

  // ---- requests --------------------------------------------------------------------------

  private static ObjectNode valid() {
    ObjectNode req = RunningClusterFormer.JSON.createObjectNode();
    req.put("name", "mgmt");
    req.put("kind", "management");
    req.putObject("profile").put("name", "easel-appliance").put("version", "1.0.0");
    req.putObject("variables").put("site_name", "lab");
    ObjectNode config = req.putObject("config");
    config.put("vip", "10.20.0.100");
    config.putArray("ntpServers").add("pool.ntp.org").add("10.20.0.1");
    config.putArray("sshKeys").add(Events.sshKey("ops@lab"));
    config.put("storagePoolDevice", "/dev/sdb");
    config.put("csiPlacementCount", 3);
    config
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "registry-pw")
        .put("storageGiB", 100);
    var pools = req.putArray("nodePools");
    pools
        .addObject()
        .put("name", "cp")
        .put("role", "control-plane")
        .put("selector", "site=lab")
        .put("count", 3);
    pools
        .addObject()
        .put("name", "workers")
        .put("role", "worker")
        .putArray("nodes")
        .add(WORKER.toString());
    return req;
  }

  /** A one-node cluster on this node, otherwise valid. */
  private static ObjectNode explicit(UUID node) {
    ObjectNode req = valid();
    ((ObjectNode) req.get("config")).put("csiPlacementCount", 1);
    var pools = req.putArray("nodePools");
    pools
        .addObject()
        .put("name", "cp")
        .put("role", "control-plane")
        .putArray("nodes")
        .add(node.toString());
    return req;
  }

  private static JsonNode awaitValidation(ObjectNode req, Predicate<JsonNode> until) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> clusters.json(clusters.call("POST", "/api/v1/clusters/validate", req.toString())),
            until);
  }
}
