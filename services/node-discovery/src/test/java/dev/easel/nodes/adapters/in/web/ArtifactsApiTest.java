package dev.easel.nodes.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import dev.easel.nodes.support.NodeCommands;
import dev.easel.nodes.support.RunningService;
import dev.easel.testing.EventStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plan step artifacts through the real service (#12): uploads streamed into the content-addressed
 * store, recorded and announced once, refused with problems before their body is read.
 */
class ArtifactsApiTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ContractRegistry REGISTRY = ContractRegistry.of(EaselContracts.ALL);
  private static final int MAX_SIZE = 1024 * 1024;
  private static final String REPORT = "/var/lib/easel/scan/kube-bench.json";

  private static RunningService service;
  private static NodeCommands commands;
  private static String token;
  private static Path store;

  @BeforeAll
  static void start() throws Exception {
    store = Files.createTempDirectory("easel-artifacts");
    commands = NodeCommands.answeredOn("easel.artifactstest.replies");
    service =
        RunningService.start(
            "artifacts",
            Map.of(
                "easel.nodes.artifacts.dir",
                store.toString(),
                "easel.nodes.artifacts.max-size",
                "1MB"));
    token = service.issueToken("artifacts");
  }

  @AfterAll
  static void stop() {
    commands.close();
    service.close();
  }

  @Test
  void anUploadedArtifactIsStoredUnderItsDigestAndAnnouncedOnce() throws Exception {
    Agent n = register();
    byte[] report = "{\"checks\":[{\"id\":\"1.1.1\",\"status\":\"PASS\"}]}".getBytes();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a1", n, scan("scan", REPORT, "/var/lib/easel/scan/syft.json"));
      JsonNode declared = feedStep(n, "a1", "scan").get("artifacts");
      assertThat(declared.get(0).get("name").asString()).isEqualTo("kube-bench.json");
      assertThat(declared.get(0).get("path").asString()).isEqualTo(REPORT);

      HttpResponse<String> created = put(n, "a1", "scan", "kube-bench.json", report);

      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode body = JSON.readTree(created.body());
      assertThat(body.get("name").asString()).isEqualTo("kube-bench.json");
      assertThat(body.get("digest").asString()).isEqualTo(digest(report));
      assertThat(body.get("size").asLong()).isEqualTo(report.length);
      assertThat(body.get("mediaType").asString()).isEqualTo("application/json");
      Path blob = Path.of(URI.create(body.get("location").asString()));
      assertThat(blob)
          .startsWith(store.toAbsolutePath().normalize())
          .endsWith(Path.of("sha256", hex(report).substring(0, 2), hex(report)));
      assertThat(Files.readAllBytes(blob)).isEqualTo(report);

      PlanStepArtifactStored stored =
          stream
              .andWaitForEventOfType(PlanStepArtifactStored.class)
              .matching(e -> e.planId().equals("a1"))
              .toArrive()
              .payload();
      assertThat(stored.nodeId()).isEqualTo(n.id());
      assertThat(stored.stepId()).isEqualTo("scan");
      assertThat(stored.name()).isEqualTo("kube-bench.json");
      assertThat(stored.digest()).isEqualTo(digest(report));
      assertThat(stored.size()).isEqualTo(report.length);
      assertThat(stored.mediaType()).isEqualTo("application/json");
      assertThat(stored.location()).isEqualTo(body.get("location").asString());

      HttpResponse<String> again = put(n, "a1", "scan", "kube-bench.json", report);
      assertThat(again.statusCode()).as("the same upload again is answered").isEqualTo(200);
      assertThat(JSON.readTree(again.body()).get("location").asString())
          .isEqualTo(body.get("location").asString());
      assertProblem(
          put(n, "a1", "scan", "kube-bench.json", "{}".getBytes()), 409, "artifact-conflict");
      stream
          .andWaitForEventOfType(PlanStepArtifactStored.class)
          .matching(e -> e.planId().equals("a1"))
          .toArriveOnlyOnceWithin(Duration.ofSeconds(1));
    }
  }

  @Test
  void thePlanListsEachDeclaredArtifactWithWhatWasStoredForIt() throws Exception {
    Agent n = register();
    byte[] report = "kube-bench report".getBytes();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a2", n, scan("scan", REPORT, "/var/lib/easel/scan/syft.json"));
      assertThat(put(n, "a2", "scan", "kube-bench.json", report, "text/plain").statusCode())
          .isEqualTo(201);
      assertThat(report(n, "a2", "scan").statusCode()).isEqualTo(200);
      stream
          .andWaitForEventOfType(PlanCompleted.class)
          .matching(e -> e.planId().equals("a2"))
          .toArrive();
    }

    JsonNode step = plan("a2").get("steps").get(0);

    JsonNode kept = step.get("artifacts").get(0);
    assertThat(kept.get("name").asString()).isEqualTo("kube-bench.json");
    assertThat(kept.get("path").asString()).isEqualTo(REPORT);
    assertThat(kept.get("digest").asString()).isEqualTo(digest(report));
    assertThat(kept.get("size").asLong()).isEqualTo(report.length);
    assertThat(kept.get("mediaType").asString()).isEqualTo("text/plain");
    assertThat(kept.get("location").asString()).startsWith("file:");
    assertThat(kept.get("storedAt").isNull()).isFalse();
    JsonNode never = step.get("artifacts").get(1);
    assertThat(never.get("name").asString()).as("declared, never sent").isEqualTo("syft.json");
    assertThat(never.get("digest").isNull()).isTrue();
  }

  @Test
  void aBodyThatDoesNotMatchItsDigestIsRefusedAndNothingIsKept() throws Exception {
    Agent n = register();
    byte[] sent = "what was sent".getBytes();
    byte[] claimed = "what was claimed".getBytes();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a3", n, scan("scan", REPORT));

      HttpResponse<String> r =
          send(
              n,
              "a3",
              "scan",
              "kube-bench.json",
              Map.of("X-Artifact-Digest", digest(claimed)),
              HttpRequest.BodyPublishers.ofByteArray(sent));

      assertProblem(r, 422, "digest-mismatch");
      assertThat(JSON.readTree(r.body()).get("detail").asString()).contains(digest(sent));
      assertThat(blob(sent)).doesNotExist();
      assertThat(blob(claimed)).doesNotExist();
      assertThat(temporaryFiles()).isZero();
      assertThat(plan("a3").get("steps").get(0).get("artifacts").get(0).get("digest").isNull())
          .isTrue();
      assertThat(put(n, "a3", "scan", "kube-bench.json", sent).statusCode())
          .as("the right digest is still taken")
          .isEqualTo(201);
    }
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyOfTheBodyIsRead() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a4", n, scan("scan", REPORT));
    }

    // Only the head is sent: the answer comes without waiting for a byte of the 2 GiB announced.
    String answer =
        raw(
            n,
            "a4",
            "Content-Length: 2147483648\r\n"
                + "X-Artifact-Digest: "
                + digest(new byte[0])
                + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 413").contains("artifact-too-large");
    assertThat(answer).contains("\"limit\":" + MAX_SIZE);
  }

  @Test
  void aChunkedBodyIsCutAtTheLimitAndNothingIsKept() throws Exception {
    Agent n = register();
    byte[] big = new byte[MAX_SIZE + 64 * 1024];
    new java.util.Random(12).nextBytes(big);
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a5", n, scan("scan", REPORT));

      // Of unknown length, so it is sent chunked and only the counter can stop it.
      HttpResponse<String> r =
          send(
              n,
              "a5",
              "scan",
              "kube-bench.json",
              Map.of("X-Artifact-Digest", digest(big)),
              HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

      assertProblem(r, 413, "artifact-too-large");
      assertThat(blob(big)).doesNotExist();
      assertThat(temporaryFiles()).isZero();
      assertThat(plan("a5").get("steps").get(0).get("artifacts").get(0).get("digest").isNull())
          .isTrue();
    }
  }

  @Test
  void anUploadIsTakenOnlyFromTheNodesOwnAgentForTheRunningStepAndADeclaredName() throws Exception {
    Agent n = register();
    Agent other = register();
    byte[] report = "report".getBytes();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a6", n, scan("first", REPORT), scan("second", "/tmp/second.json"));

      assertProblem(put(n, "a6", "first", "other.json", report), 404, "artifact-not-declared");
      assertProblem(put(n, "a6", "nope", "kube-bench.json", report), 404, "step-not-found");
      assertProblem(put(n, "a6", "second", "second.json", report), 409, "step-not-running");
      assertProblem(put(other, "a6", "first", "kube-bench.json", report), 404, "not-found");
      assertProblem(
          send(
              other.credential(),
              n.id(),
              "a6",
              "first",
              "kube-bench.json",
              Map.of("X-Artifact-Digest", digest(report)),
              HttpRequest.BodyPublishers.ofByteArray(report)),
          403,
          "forbidden");
      assertProblem(
          send(
              null,
              n.id(),
              "a6",
              "first",
              "kube-bench.json",
              Map.of("X-Artifact-Digest", digest(report)),
              HttpRequest.BodyPublishers.ofByteArray(report)),
          401,
          "unauthorized");
      assertProblem(
          send(
              n,
              "a6",
              "first",
              "kube-bench.json",
              Map.of(),
              HttpRequest.BodyPublishers.ofByteArray(report)),
          400,
          "invalid-digest");
      assertProblem(
          send(
              n,
              "a6",
              "first",
              "kube-bench.json",
              Map.of("X-Artifact-Digest", "md5:abc"),
              HttpRequest.BodyPublishers.ofByteArray(report)),
          400,
          "invalid-digest");
      assertThat(report(n, "a6", "first").statusCode()).isEqualTo(200);
      assertProblem(put(n, "a6", "first", "kube-bench.json", report), 409, "step-finished");
      commands.send("a6", "dev.easel.nodes.CancelPlan.v1", cancel("a6", n.id()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> plan("a6").get("state").asString().equals("CANCELLED"));
      assertProblem(put(n, "a6", "second", "second.json", report), 409, "plan-cancelled");
    }
    for (JsonNode step : plan("a6").get("steps")) {
      assertThat(step.get("artifacts").get(0).get("digest").isNull())
          .as("nothing was stored for step " + step.get("id"))
          .isTrue();
    }
    assertThat(blob(report)).doesNotExist();
  }

  @Test
  void aRefusedUploadIsAnsweredBeforeItsBodyIsSent() throws Exception {
    Agent n = register();
    try (EventStream stream = EventStream.watch(REGISTRY, "easel.nodes.events")) {
      queue(stream, "a7", n, scan("scan", REPORT));
    }

    // An agent asks to continue; the credential is checked before the server says yes.
    String answer =
        raw(
            new Agent(n.id(), "esl_nc_not-a-credential"),
            "a7",
            "Content-Length: 1000\r\nExpect: 100-continue\r\nX-Artifact-Digest: "
                + digest(new byte[0])
                + "\r\n");

    assertThat(answer).startsWith("HTTP/1.1 401").contains("unauthorized");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private record Agent(UUID id, String credential) {}

  private static Agent register() throws Exception {
    JsonNode r = service.registerMachine(token);
    return new Agent(
        UUID.fromString(r.get("nodeId").asString()), r.get("nodeCredential").asString());
  }

  /** A step that declares these artifacts. */
  private static String scan(String id, String... artifacts) {
    return "{\"id\":\""
        + id
        + "\",\"name\":\"scan\",\"command\":\"kube-bench\",\"timeoutSeconds\":30,"
        + "\"artifacts\":"
        + JSON.writeValueAsString(artifacts)
        + "}";
  }

  private static void queue(EventStream stream, String planId, Agent n, String... steps) {
    commands.send(
        planId,
        "dev.easel.nodes.RunPlan.v1",
        "{\"nodeId\":\""
            + n.id()
            + "\",\"planId\":\""
            + planId
            + "\",\"owner\":\"test\",\"steps\":["
            + String.join(",", steps)
            + "]}");
    stream
        .andWaitForEventOfType(PlanQueued.class)
        .matching(q -> q.planId().equals(planId))
        .toArrive();
  }

  private static String cancel(String planId, UUID node) {
    return "{\"nodeId\":\"" + node + "\",\"planId\":\"" + planId + "\",\"reason\":\"operator\"}";
  }

  /** A step of the plan as the node's agent polls it. */
  private static JsonNode feedStep(Agent n, String planId, String stepId) throws Exception {
    HttpResponse<String> r =
        service.call("GET", "/agent/v1/nodes/" + n.id() + "/plans", n.credential(), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    for (JsonNode plan : JSON.readTree(r.body()).get("plans")) {
      if (plan.get("planId").asString().equals(planId)) {
        for (JsonNode step : plan.get("steps")) {
          if (step.get("id").asString().equals(stepId)) {
            return step;
          }
        }
      }
    }
    throw new AssertionError("no step " + stepId + " of plan " + planId + " in " + r.body());
  }

  private static HttpResponse<String> put(
      Agent n, String plan, String step, String name, byte[] body) throws Exception {
    return put(n, plan, step, name, body, "application/json");
  }

  private static HttpResponse<String> put(
      Agent n, String plan, String step, String name, byte[] body, String mediaType)
      throws Exception {
    return send(
        n,
        plan,
        step,
        name,
        Map.of("X-Artifact-Digest", digest(body), "Content-Type", mediaType),
        HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private static HttpResponse<String> send(
      Agent n,
      String plan,
      String step,
      String name,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body)
      throws Exception {
    return send(n.credential(), n.id(), plan, step, name, headers, body);
  }

  private static HttpResponse<String> send(
      String credential,
      UUID node,
      String plan,
      String step,
      String name,
      Map<String, String> headers,
      HttpRequest.BodyPublisher body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(service.base + path(node, plan, step, name))).PUT(body);
    headers.forEach(b::header);
    if (credential != null) {
      b.header("Authorization", "Bearer " + credential);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String path(UUID node, String plan, String step, String name) {
    return "/agent/v1/nodes/" + node + "/plans/" + plan + "/steps/" + step + "/artifacts/" + name;
  }

  /**
   * Sends only a request's head for the plan's {@code scan} step, over a plain socket, and answers
   * what the server says before any body: what no HTTP client lets a test do.
   */
  private static String raw(Agent n, String planId, String headers) throws IOException {
    URI base = URI.create(service.base);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PUT "
                  + path(n.id(), planId, "scan", "kube-bench.json")
                  + " HTTP/1.1\r\nHost: "
                  + base.getHost()
                  + "\r\nAuthorization: Bearer "
                  + n.credential()
                  + "\r\nContent-Type: application/json\r\n"
                  + headers
                  + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      byte[] buf = new byte[4096];
      int read;
      // The whole answer: its head, and its problem body, which ends the response.
      while (!answer.toString().contains("}") && (read = in.read(buf)) > 0) {
        answer.append(new String(buf, 0, read, StandardCharsets.UTF_8));
      }
      return answer.toString();
    }
  }

  private static HttpResponse<String> report(Agent n, String plan, String step) throws Exception {
    return service.call(
        "POST",
        "/agent/v1/nodes/" + n.id() + "/plans/" + plan + "/steps/" + step + "/result",
        n.credential(),
        "{\"attempt\":1,\"outcome\":\"SUCCEEDED\",\"exitCode\":0,\"durationMs\":5}");
  }

  private static JsonNode plan(String id) throws Exception {
    HttpResponse<String> r = service.call("GET", "/api/v1/plans/" + id, null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String type)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
    assertThat(JSON.readTree(r.body()).get("type").asString()).endsWith("/" + type);
  }

  private static Path blob(byte[] content) throws Exception {
    String hex = hex(content);
    return store.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
  }

  private static long temporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(store.resolve("tmp"))) {
      return files.count();
    }
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:" + hex(content);
  }

  private static String hex(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
