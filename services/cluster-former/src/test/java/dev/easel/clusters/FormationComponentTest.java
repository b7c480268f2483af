package dev.easel.clusters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.simulate.FailStep;
import dev.easel.agent.simulate.Simulator;
import dev.easel.agent.simulate.StepKind;
import dev.easel.clusters.domain.render.Clusters;
import dev.easel.clusters.support.Events;
import dev.easel.clusters.support.RunningClusterFormer;
import dev.easel.contracts.CloudEventHeaders;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.clusters.ClusterDegraded;
import dev.easel.contracts.clusters.ClusterRecovered;
import dev.easel.contracts.clusters.ClusterRequested;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.clusters.ClusterStepStarted;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import dev.easel.testing.RunningNodeDiscovery;
import dev.easel.testing.TestIdentity;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Clusters formed, failed, deleted and degraded for real: cluster-former and node-discovery (its
 * jar, as its own process) on the shared broker and PostgreSQL, and simulated agents that run the
 * rendered plans over HTTP. Each scenario uses nodes of its own.
 */
class FormationComponentTest {

  /** Each cluster its own control-plane VIP: one VIP serves one cluster at a time. */
  private static final Map<String, Integer> VIPS = new java.util.concurrent.ConcurrentHashMap<>();

  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  private static final String PROFILE = "easel-appliance";

  private static RunningNodeDiscovery discovery;
  private static RunningClusterFormer clusters;
  private static Simulator fleet;
  private static Path state;
  private static EventStream events;
  private static List<UUID> ids;

  /** Fleet positions of nodes that pass preflight and have a 500 GB+ /dev/sdb: VMware VMs. */
  private static final int[] VMS = {1, 6, 9, 14, 17, 22};

  /** More VMs, for growing and shrinking a cluster. */
  private static final int[] MORE_VMS = {25, 30, 33};

  /** The same for bare-metal servers (HPE DL360). */
  private static final int[] SERVERS = {3, 11, 19};

  @BeforeAll
  static void start() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(
        3,
        "easel.nodes.events",
        "easel.nodes.commands",
        "easel.nodes.replies",
        "easel.clusters.events",
        "easel.clusters.replies");
    discovery = RunningNodeDiscovery.start("component_nodes");
    clusters =
        RunningClusterFormer.start(
            "component_clusters",
            "easel.nodes.events",
            Map.of(
                "easel.clusters.timeouts.install", "60s",
                "easel.clusters.timeouts.reset", "60s",
                "easel.messaging.saga.deadline-poll", "200ms"));
    events = EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.clusters.events");
    clusters.send(clusters.packTopic(), PROFILE, Events.PUBLISHED, appliance());
    state = Files.createTempDirectory("easel-sim");
    Map<StepKind, Duration> latencies = new EnumMap<>(StepKind.class);
    latencies.put(StepKind.INSTALL, Duration.ofMillis(300));
    latencies.put(StepKind.JOIN, Duration.ofMillis(200));
    latencies.put(StepKind.APPLY, Duration.ofMillis(100));
    fleet =
        new Simulator(
            new Simulator.Options(
                discovery.base,
                discovery.registrationToken(),
                34,
                new StateDir(state),
                Duration.ofMillis(10),
                Duration.ofMillis(40),
                latencies,
                0.0,
                List.of(new FailStep("install", hostname(SERVERS[0]))),
                HEARTBEAT,
                true,
                8,
                null),
            nanos -> {});
    fleet.registerAll();
    fleet.startHeartbeats(HEARTBEAT);
    fleet.startPlans();
    ids = fleet.nodeIds();
    // cluster-former knows the nodes and the profile once a request naming them validates.
    Awaitility.await("nodes and profile known to cluster-former")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                clusters
                    .json(
                        clusters.call(
                            "POST",
                            "/api/v1/clusters/validate",
                            request("probe", "workload", nodes(VMS[5])).toString()))
                    .get("valid")
                    .asBoolean());
  }

  @AfterAll
  static void stop() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (events != null) {
      events.close();
    }
    if (clusters != null) {
      clusters.close();
    }
    if (discovery != null) {
      discovery.close();
    }
  }

  @Test
  void formsAThreeNodeManagementClusterWithATimelineAStreamAndAKubeconfig() throws Exception {
    List<UUID> members = nodes(VMS[0], VMS[1], VMS[2]);
    HttpResponse<String> created =
        clusters.call(
            "POST", "/api/v1/clusters", request("mgmt", "management", members).toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    UUID id = UUID.fromString(clusters.json(created).get("id").asString());
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/clusters/" + id);
    assertThat(created.body()).doesNotContain("registry-Pa55");

    JsonNode running = awaitState(id, "RUNNING");
    assertThat(running.get("progress").asInt()).isEqualTo(100);
    assertThat(running.get("health").asString()).isEqualTo("healthy");

    JsonNode timeline =
        clusters.json(clusters.call("GET", "/api/v1/clusters/" + id + "/timeline", null));
    List<String> steps = new ArrayList<>();
    long lastSeq = 0;
    int lastPercent = 0;
    for (JsonNode e : timeline.get("entries")) {
      assertThat(e.get("seq").asLong()).isGreaterThan(lastSeq);
      assertThat(e.get("percent").asInt()).isGreaterThanOrEqualTo(lastPercent);
      lastSeq = e.get("seq").asLong();
      lastPercent = e.get("percent").asInt();
      if ("SUCCEEDED".equals(e.get("state").asString())) {
        steps.add(e.get("step").asString());
      }
    }
    assertThat(steps)
        .containsExactly(
            "reserve-nodes",
            "install-init",
            "join-control-planes",
            "join-workers",
            "apply-layers",
            "check-health",
            "verify-health",
            "fetch-kubeconfig",
            "keep-kubeconfig",
            "mark-members");

    // The live stream replays the timeline, and resumes after Last-Event-ID.
    List<String[]> streamed = readEvents(id, null, 4);
    assertThat(streamed).hasSize(4);
    List<String[]> resumed = readEvents(id, streamed.get(1)[0], 2);
    assertThat(resumed.get(0)[0]).isEqualTo(streamed.get(2)[0]);
    assertThat(resumed.get(0)[1]).isEqualTo(streamed.get(2)[1]);

    HttpResponse<String> kubeconfig =
        clusters.call("GET", "/api/v1/clusters/" + id + "/kubeconfig", null);
    assertThat(kubeconfig.statusCode()).isEqualTo(200);
    assertThat(kubeconfig.body())
        .containsPattern("server: \"?https://" + vip("mgmt").replace(".", "\\.") + ":6443\"?\n");
    assertThat(kubeconfig.headers().firstValue("Cache-Control")).hasValue("no-store");

    for (UUID n : members) {
      assertThat(discovery.node(n).get("state").asString()).isEqualTo("IN_CLUSTER");
    }
    // The plans' secret files (each node's cloud-config with the cluster token, the layers' values)
    // crossed Kafka sealed to node-discovery's plan key, which opened them for the agents.
    List<String> plans = recordsKeyedBy("easel.nodes.commands", members);
    assertThat(plans).anySatisfy(r -> assertThat(r).contains("easel-sealed:v1:"));
    assertThat(plans)
        .allSatisfy(
            r ->
                assertThat(r)
                    .doesNotContain("#cloud-config")
                    .doesNotContain("cluster_token")
                    .doesNotContain("registry-Pa55"));
    events
        .andWaitForEventOfType(ClusterRunning.class)
        .matching(e -> e.clusterId().equals(id))
        .within(Duration.ofSeconds(10))
        .toArrive();
    assertThat(events.receivedOfType(ClusterRequested.class))
        .anyMatch(e -> e.payload().clusterId().equals(id));
    // Who asked comes from the gateway's identity token: the request's own event, and the saga it
    // started, which names them on all it sends.
    assertThat(events.receivedOfType(ClusterRequested.class))
        .filteredOn(e -> e.payload().clusterId().equals(id))
        .extracting(e -> e.header(CloudEventHeaders.ACTOR))
        .containsOnly(TestIdentity.SUBJECT);
    assertThat(
            new JdbcTemplate(clusters.db.dataSource())
                .queryForObject(
                    "SELECT count(*) FROM easel.saga WHERE actor = ?",
                    Integer.class,
                    TestIdentity.SUBJECT))
        .isPositive();
    assertThat(events.receivedOfType(ClusterStepStarted.class))
        .filteredOn(e -> e.payload().clusterId().equals(id))
        .extracting(e -> e.payload().step())
        .contains("install-init", "join-control-planes", "apply-layers");

    // A second management cluster, or the same name again, is refused and changes nothing.
    HttpResponse<String> second =
        clusters.call(
            "POST",
            "/api/v1/clusters",
            request("mgmt-2", "management", nodes(SERVERS[1])).toString());
    assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
    assertThat(clusters.json(second).get("type").asString()).endsWith("/management-cluster-exists");
    ObjectNode sameNameBody = request("mgmt", "workload", nodes(SERVERS[1]));
    ((ObjectNode) sameNameBody.get("config")).put("vip", vip("mgmt-again"));
    HttpResponse<String> sameName =
        clusters.call("POST", "/api/v1/clusters", sameNameBody.toString());
    assertThat(sameName.statusCode()).as(sameName.body()).isEqualTo(409);
    assertThat(clusters.json(sameName).get("type").asString()).endsWith("/cluster-name-taken");
    ObjectNode sameVip = request("mgmt-vip", "workload", nodes(SERVERS[1]));
    ((ObjectNode) sameVip.get("config")).put("vip", vip("mgmt"));
    HttpResponse<String> vipTaken = clusters.call("POST", "/api/v1/clusters", sameVip.toString());
    assertThat(vipTaken.statusCode()).as(vipTaken.body()).isEqualTo(422);
    assertThat(vipTaken.body()).contains("vip-in-use", "config.vip");

    // A member that stops heartbeating degrades the cluster, naming it; its return recovers it.
    UUID worker = members.get(2);
    fleet.silence(List.of(worker));
    JsonNode degraded = awaitState(id, "DEGRADED");
    assertThat(degraded.get("unreachableNodes").toString()).contains(worker.toString());
    events
        .andWaitForEventOfType(ClusterDegraded.class)
        .matching(e -> e.clusterId().equals(id) && e.unreachable().contains(worker))
        .within(Duration.ofSeconds(10))
        .toArrive();
    fleet.resume(List.of(worker), HEARTBEAT);
    awaitState(id, "RUNNING");
    events
        .andWaitForEventOfType(ClusterRecovered.class)
        .matching(e -> e.clusterId().equals(id))
        .within(Duration.ofSeconds(10))
        .toArrive();

    // Deleting resets every node, workers first and the init node last, then frees them.
    HttpResponse<String> deleted = clusters.call("DELETE", "/api/v1/clusters/" + id, null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    awaitState(id, "DELETED");
    List<Instant> resetAt = new ArrayList<>();
    for (UUID n : List.of(members.get(2), members.get(1), members.get(0))) {
      JsonNode plan = discovery.plan("cluster-" + id + "-teardown-" + n);
      assertThat(plan).as("teardown plan of " + n).isNotNull();
      assertThat(plan.get("state").asString()).isEqualTo("COMPLETED");
      resetAt.add(Instant.parse(plan.get("finishedAt").asString()));
    }
    Awaitility.await("every node freed")
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (UUID n : members) {
                assertThat(discovery.node(n).get("state").asString()).isEqualTo("READY");
              }
            });
    assertThat(resetAt.get(2)).as("the init node is reset last").isAfter(resetAt.get(0));
    assertThat(resetAt.get(2)).isAfter(resetAt.get(1));
    assertThat(clusters.call("GET", "/api/v1/clusters/" + id + "/kubeconfig", null).statusCode())
        .isEqualTo(409);
  }

  @Test
  void aFailedInstallResetsTheTouchedNodeReleasesItAndNamesTheStepTheNodeAndItsOutput()
      throws Exception {
    UUID server = nodes(SERVERS[0]).get(0);
    HttpResponse<String> created =
        clusters.call(
            "POST", "/api/v1/clusters", request("doomed", "workload", List.of(server)).toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    UUID id = UUID.fromString(clusters.json(created).get("id").asString());

    JsonNode failed = awaitState(id, "FAILED");
    JsonNode failure = failed.get("failure");
    assertThat(failure.get("step").asString()).isEqualTo("install-init");
    assertThat(failure.get("node").asString()).isEqualTo(server.toString());
    assertThat(failure.get("output").asString()).isNotBlank();
    assertThat(failure.get("reason").asString()).contains("plan-failed");

    JsonNode reset = discovery.plan("cluster-" + id + "-reset-" + server);
    assertThat(reset.get("state").asString()).isEqualTo("COMPLETED");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(discovery.node(server).get("state").asString()).isEqualTo("READY"));
    JsonNode timeline =
        clusters.json(clusters.call("GET", "/api/v1/clusters/" + id + "/timeline", null));
    assertThat(timeline.get("entries").toString()).contains("UNDOING", "UNDONE");
  }

  @Test
  void twoFormationsRacingForOneNodeEndWithOneRunningAndTheOtherRefusedNamingTheNode()
      throws Exception {
    UUID contested = nodes(VMS[4]).get(0);
    UUID other = nodes(VMS[3]).get(0);
    ObjectNode a = request("race-a", "workload", List.of(contested));
    ObjectNode b = request("race-b", "workload", List.of(contested));
    ((ArrayNode) b.get("nodePools"))
        .addObject()
        .put("name", "workers")
        .put("role", "worker")
        .putArray("nodes")
        .add(other.toString());
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> post(a));
    CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> post(b));
    List<UUID> created = new ArrayList<>();
    for (HttpResponse<String> r : List.of(first.join(), second.join())) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      created.add(UUID.fromString(clusters.json(r).get("id").asString()));
    }
    List<String> states = new ArrayList<>();
    JsonNode loser = null;
    for (UUID id : created) {
      JsonNode c = awaitAnyState(id, "RUNNING", "FAILED");
      states.add(c.get("state").asString());
      if ("FAILED".equals(c.get("state").asString())) {
        loser = c;
      }
    }
    assertThat(states).containsExactlyInAnyOrder("RUNNING", "FAILED");
    assertThat(loser.get("failure").get("step").asString()).isEqualTo("reserve-nodes");
    assertThat(loser.get("failure").toString()).contains(contested.toString());
    assertThat(discovery.node(other).get("state").asString()).isIn("READY", "IN_CLUSTER");
  }

  @Test
  void forceDeletingAClusterWithAnUnreachableNodeFreesItAndResetsItWhenItIsNextSeen()
      throws Exception {
    UUID node = nodes(VMS[5]).get(0);
    HttpResponse<String> created =
        clusters.call(
            "POST", "/api/v1/clusters", request("edge", "workload", List.of(node)).toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    UUID id = UUID.fromString(clusters.json(created).get("id").asString());
    awaitState(id, "RUNNING");

    fleet.silence(List.of(node));
    awaitState(id, "DEGRADED");
    HttpResponse<String> plain =
        clusters.call("DELETE", "/api/v1/clusters/" + id + "?force=true", null);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(202);
    awaitState(id, "DELETED");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(discovery.node(node).get("state").asString())
                    .isIn("READY", "UNREACHABLE"));
    String resetPlan = "reset-after-cluster-" + id + "-" + node;
    // Queued for the node; it may have fetched it in the poll it had open when it went away.
    assertThat(discovery.plan(resetPlan).get("state").asString())
        .isIn("QUEUED", "RUNNING", "COMPLETED");

    fleet.resume(List.of(node), HEARTBEAT);
    Awaitility.await("the reset runs when the node is back")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(discovery.plan(resetPlan).get("state").asString())
                    .isEqualTo("COMPLETED"));
    HttpResponse<String> again = clusters.call("DELETE", "/api/v1/clusters/" + id, null);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(clusters.call("DELETE", "/api/v1/clusters/" + UUID.randomUUID(), null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRunningClusterGainsAWorkerAndLosesOneKeepingItsInitNode() throws Exception {
    List<UUID> vms = nodes(MORE_VMS);
    ObjectNode body = request("grow", "workload", List.of(vms.get(0)));
    ((ArrayNode) body.get("nodePools"))
        .addObject()
        .put("name", "worker-pool")
        .put("role", "worker")
        .putArray("nodes")
        .add(vms.get(1).toString());
    HttpResponse<String> created = clusters.call("POST", "/api/v1/clusters", body.toString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    UUID id = UUID.fromString(clusters.json(created).get("id").asString());
    awaitState(id, "RUNNING");

    HttpResponse<String> member =
        clusters.call(
            "POST",
            "/api/v1/clusters/" + id + "/pools/worker-pool/nodes",
            "{\"nodes\":[\"" + vms.get(1) + "\"]}");
    assertThat(member.statusCode()).as(member.body()).isEqualTo(422);
    HttpResponse<String> grown =
        clusters.call(
            "POST",
            "/api/v1/clusters/" + id + "/pools/worker-pool/nodes",
            "{\"nodes\":[\"" + vms.get(2) + "\"]}");
    assertThat(grown.statusCode()).as(grown.body()).isEqualTo(202);
    Awaitility.await("the new worker is a member")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(discovery.node(vms.get(2)).get("state").asString())
                  .isEqualTo("IN_CLUSTER");
              assertThat(timelineOf(id)).contains("added 1 node(s) to pool worker-pool");
            });
    assertThat(clusters.json(clusters.call("GET", "/api/v1/clusters/" + id, null)).toString())
        .contains(vms.get(2).toString());

    HttpResponse<String> init =
        clusters.call("DELETE", "/api/v1/clusters/" + id + "/nodes/" + vms.get(0), null);
    assertThat(init.statusCode()).as(init.body()).isEqualTo(409);
    HttpResponse<String> shrunk =
        clusters.call("DELETE", "/api/v1/clusters/" + id + "/nodes/" + vms.get(1), null);
    assertThat(shrunk.statusCode()).as(shrunk.body()).isEqualTo(202);
    Awaitility.await("the worker is drained, reset and freed")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(discovery.node(vms.get(1)).get("state").asString()).isEqualTo("READY");
              assertThat(
                      clusters
                          .json(clusters.call("GET", "/api/v1/clusters/" + id, null))
                          .toString())
                  .doesNotContain(vms.get(1).toString());
            });
    assertThat(timelineOf(id)).contains("drain-node", "reset-node", "removed node");
    assertThat(
            clusters
                .json(clusters.call("GET", "/api/v1/clusters/" + id, null))
                .get("state")
                .asString())
        .isEqualTo("RUNNING");
  }

  private static String timelineOf(UUID id) throws Exception {
    return clusters.call("GET", "/api/v1/clusters/" + id + "/timeline", null).body();
  }

  @Test
  void anInvalidClusterIsRefusedWithEveryProblemAndNothingIsCreated() throws Exception {
    ObjectNode bad = request("Not_A_Name", "workload", nodes(VMS[3]));
    ((ObjectNode) bad.get("config")).put("vip", "192.168.1.1").put("podCidr", "10.0.0.0/8");
    HttpResponse<String> r = clusters.call("POST", "/api/v1/clusters", bad.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode errors = clusters.json(r).get("errors");
    assertThat(errors.toString()).contains("\"name\"", "config.vip", "config.podCidr");
    JsonNode list = clusters.json(clusters.call("GET", "/api/v1/clusters?deleted=true", null));
    assertThat(list.get("items").toString()).doesNotContain("Not_A_Name");
    assertThat(clusters.call("POST", "/api/v1/clusters", "{not json").statusCode()).isEqualTo(400);
    assertThat(
            clusters
                .call("GET", "/api/v1/clusters/" + UUID.randomUUID() + "/timeline", null)
                .statusCode())
        .isEqualTo(404);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private static HttpResponse<String> post(ObjectNode body) {
    try {
      return clusters.call("POST", "/api/v1/clusters", body.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hostname(int index) {
    String[] mix = {
      "r650", "vsphere-vm", "small-vm", "dl360", "bios-server", "ampere", "vsphere-vm", "nuc"
    };
    return String.format("sim-%s-%05d", mix[index % mix.length], index);
  }

  private static List<UUID> nodes(int... positions) {
    List<UUID> out = new ArrayList<>();
    for (int p : positions) {
      out.add(ids.get(p));
    }
    return out;
  }

  private static JsonNode awaitState(UUID id, String state) {
    return awaitAnyState(id, state);
  }

  private static JsonNode awaitAnyState(UUID id, String... states) {
    return Awaitility.await("cluster " + id + " in " + String.join(" or ", states))
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> clusters.json(clusters.call("GET", "/api/v1/clusters/" + id, null)),
            c -> List.of(states).contains(c.get("state").asString()));
  }

  /** Reads {@code count} events of the cluster's stream: each as {id, data}. */
  private static List<String[]> readEvents(UUID id, String lastEventId, int count)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(clusters.base + "/api/v1/clusters/" + id + "/events"))
            .header("Accept", "text/event-stream")
            .header("Authorization", TestIdentity.bearer(Role.VIEWER))
            .timeout(Duration.ofSeconds(20));
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> r =
        HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    List<String[]> out = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      String eventId = null;
      StringBuilder data = new StringBuilder();
      String line;
      while (out.size() < count && (line = in.readLine()) != null) {
        if (line.startsWith("id:")) {
          eventId = line.substring(3).strip();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).strip());
        } else if (line.isEmpty() && eventId != null) {
          out.add(new String[] {eventId, data.toString()});
          eventId = null;
          data.setLength(0);
        }
      }
    }
    return out;
  }

  /** The values of every record on a topic keyed by one of the nodes, up to its current end. */
  private static List<String> recordsKeyedBy(String topic, List<UUID> nodes) {
    Set<String> keys = new HashSet<>();
    nodes.forEach(n -> keys.add(n.toString()));
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        KafkaClients.assignedConsumer(
            Infrastructure.get().kafkaBootstrapServers(), List.of(topic))) {
      consumer.seekToBeginning(consumer.assignment());
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      Awaitility.await("the records of " + topic)
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  if (keys.contains(r.key())) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                  }
                }
                return end.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
              });
    }
    return values;
  }

  private static String vip(String cluster) {
    return "10.0.250." + VIPS.computeIfAbsent(cluster, k -> 10 + VIPS.size());
  }

  private static ObjectNode request(String name, String kind, List<UUID> controlPlanes) {
    ObjectNode req = RunningClusterFormer.JSON.createObjectNode();
    req.put("name", name);
    req.put("kind", kind);
    req.putObject("profile").put("name", PROFILE).put("version", "1.0.0");
    ObjectNode config = req.putObject("config");
    config.put("vip", vip(name));
    config.putArray("ntpServers").add("pool.ntp.org");
    config.putArray("sshKeys").add(Events.sshKey("ops@lab"));
    config.put("storagePoolDevice", "/dev/sdb");
    config.put("csiPlacementCount", controlPlanes.size() >= 3 ? 3 : 1);
    config
        .putObject("registry")
        .put("mode", "in-cluster")
        .put("username", "admin")
        .put("password", "registry-Pa55")
        .put("storageGiB", 100);
    ArrayNode pools = req.putArray("nodePools");
    ArrayNode cp =
        pools
            .addObject()
            .put("name", "control-plane-pool")
            .put("role", "control-plane")
            .putArray("nodes");
    controlPlanes.forEach(n -> cp.add(n.toString()));
    return req;
  }

  private static ProfilePublished appliance() {
    return new ProfilePublished(
        PROFILE,
        "1.0.0",
        "the appliance",
        "full",
        "edge-native",
        List.of(
            layer("os", "kairos-ubuntu", "22.4.0", Clusters.OS_VALUES),
            layer("k8s", "pxk-e", "1.32.3", Clusters.K8S_VALUES),
            layer("cni", "cni-calico", "3.29.2", Clusters.CNI_VALUES),
            layer("csi", "csi-piraeus", "2.8.1", Clusters.CSI_VALUES),
            layer("addon", "zot", "0.1.67", Clusters.REGISTRY_VALUES)),
        List.of(),
        Instant.now());
  }

  private static ProfilePublished.ResolvedLayer layer(
      String layer, String name, String version, String values) {
    return new ProfilePublished.ResolvedLayer(
        "pack",
        layer,
        name,
        version,
        "internal",
        "127.0.0.1:15000/spectro-packs/archive/" + name,
        "sha256:" + "ab".repeat(32),
        values,
        List.of(),
        List.of(),
        List.of());
  }
}
