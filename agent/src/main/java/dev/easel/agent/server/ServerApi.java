package dev.easel.agent.server;

import dev.easel.agent.Json;
import dev.easel.agent.inventory.Inventory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;

/**
 * The agent API of node-discovery ({@code /agent/v1}). Every call is asynchronous so one process
 * can drive thousands of simulated nodes; the real agent joins them.
 *
 * <p>A failed future holds an {@link ApiException} when the server refused the call, and an {@link
 * java.io.IOException} when it could not be reached.
 */
public final class ServerApi {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient http;
  private final String base;

  public ServerApi(HttpClient http, String server) {
    this.http = http;
    this.base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  public String server() {
    return base;
  }

  /** What registration answers. */
  public record Registered(UUID nodeId, String nodeCredential, int heartbeatIntervalSeconds) {}

  /** A step of a plan as the agent runs it. */
  public record Step(
      String id,
      String name,
      String command,
      String action,
      Map<String, String> args,
      int timeoutSeconds,
      int retries,
      String state,
      int attempt,
      Map<String, String> secretFiles,
      List<Artifact> artifacts) {

    public Step {
      secretFiles = secretFiles == null ? Map.of() : Map.copyOf(secretFiles);
      artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** A step that declares no artifacts. */
    public Step(
        String id,
        String name,
        String command,
        String action,
        Map<String, String> args,
        int timeoutSeconds,
        int retries,
        String state,
        int attempt,
        Map<String, String> secretFiles) {
      this(
          id,
          name,
          command,
          action,
          args,
          timeoutSeconds,
          retries,
          state,
          attempt,
          secretFiles,
          List.of());
    }

    /** The step without its secrets' contents. */
    @Override
    public String toString() {
      return "Step[id="
          + id
          + ", command="
          + command
          + ", action="
          + action
          + ", secretFiles="
          + secretFiles.keySet()
          + ", artifacts="
          + artifacts
          + "]";
    }
  }

  /**
   * A file a step declared as an artifact: after the step succeeds, and before its success is
   * reported, it is uploaded under its name.
   *
   * @param name its file name, unique within the step
   * @param path where the step writes it
   */
  public record Artifact(String name, String path) {}

  /** What the server stored for an uploaded artifact. */
  public record StoredArtifact(
      String name, String digest, long size, String mediaType, String location) {}

  /** The request header that carries an artifact's digest, {@code sha256:<hex>}. */
  public static final String ARTIFACT_DIGEST_HEADER = "X-Artifact-Digest";

  /** A plan as the agent sees it. */
  public record Plan(String planId, String state, List<Step> steps) {}

  /** The node's unfinished plans and the revision they are current for. */
  public record Feed(long revision, List<Plan> plans) {}

  /** One attempt's result. */
  public record StepResult(
      int attempt,
      String outcome,
      Integer exitCode,
      String reason,
      String output,
      long durationMs) {}

  public CompletableFuture<Registered> register(String token, Inventory inventory) {
    return call(
            "POST",
            "/agent/v1/register",
            token,
            Json.MAPPER.writeValueAsString(inventory),
            CALL_TIMEOUT)
        .thenApply(body -> Json.MAPPER.readValue(body, Registered.class));
  }

  public CompletableFuture<Void> heartbeat(UUID node, String credential) {
    return call("POST", "/agent/v1/nodes/" + node + "/heartbeat", credential, null, CALL_TIMEOUT)
        .thenApply(body -> null);
  }

  public CompletableFuture<Void> inventory(UUID node, String credential, Inventory inventory) {
    return call(
            "PUT",
            "/agent/v1/nodes/" + node + "/inventory",
            credential,
            Json.MAPPER.writeValueAsString(inventory),
            CALL_TIMEOUT)
        .thenApply(body -> null);
  }

  /** Long-polls for plans: answers when they pass {@code since}, or after {@code waitSeconds}. */
  public CompletableFuture<Feed> plans(UUID node, String credential, Long since, int waitSeconds) {
    String query = "?waitSeconds=" + waitSeconds + (since == null ? "" : "&since=" + since);
    return call(
            "GET",
            "/agent/v1/nodes/" + node + "/plans" + query,
            credential,
            null,
            CALL_TIMEOUT.plusSeconds(waitSeconds))
        .thenApply(body -> Json.MAPPER.readValue(body, Feed.class));
  }

  public CompletableFuture<Void> report(
      UUID node, String credential, String plan, String step, StepResult result) {
    return call(
            "POST",
            "/agent/v1/nodes/"
                + node
                + "/plans/"
                + segment(plan)
                + "/steps/"
                + segment(step)
                + "/result",
            credential,
            Json.MAPPER.writeValueAsString(result),
            CALL_TIMEOUT)
        .thenApply(body -> null);
  }

  /**
   * What the server has stored for an artifact; empty when nothing is, and it would take an upload.
   * Asked before uploading: content stored already, or an upload the server would refuse (a failed
   * {@link ApiException}), is then never sent. {@code Expect: 100-continue} would do the same in
   * one call, but Java 17's client waits forever for a body after a final answer to it.
   */
  public CompletableFuture<Optional<StoredArtifact>> storedArtifact(
      UUID node, String credential, String plan, String step, String name) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + artifactPath(node, plan, step, name)))
            .timeout(CALL_TIMEOUT)
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + credential)
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() == 200) {
                return Optional.of(Json.MAPPER.readValue(r.body(), StoredArtifact.class));
              }
              ApiException refused = problem(r);
              if (r.statusCode() == 404 && "artifact-not-stored".equals(refused.type())) {
                return Optional.empty();
              }
              throw refused;
            });
  }

  /**
   * Uploads one artifact, streamed from its file, with its digest in {@value
   * #ARTIFACT_DIGEST_HEADER}. The call may take as long as sending the file does at 1 MB/s, plus a
   * minute.
   */
  public CompletableFuture<StoredArtifact> uploadArtifact(
      UUID node, String credential, String plan, String step, String name, ArtifactFile file) {
    HttpRequest.BodyPublisher body;
    try {
      body = HttpRequest.BodyPublishers.ofFile(file.path());
    } catch (java.io.FileNotFoundException e) {
      return CompletableFuture.failedFuture(e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + artifactPath(node, plan, step, name)))
            .timeout(Duration.ofMinutes(1).plusMillis(file.size() / 1_000))
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + credential)
            .header("Content-Type", file.mediaType())
            .header(ARTIFACT_DIGEST_HEADER, file.digest())
            .PUT(body)
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() >= 200 && r.statusCode() < 300) {
                return Json.MAPPER.readValue(r.body(), StoredArtifact.class);
              }
              throw problem(r);
            });
  }

  private static String artifactPath(UUID node, String plan, String step, String name) {
    return "/agent/v1/nodes/"
        + node
        + "/plans/"
        + segment(plan)
        + "/steps/"
        + segment(step)
        + "/artifacts/"
        + segment(name);
  }

  /**
   * A path segment with everything but RFC 3986's unreserved characters percent-encoded: ids come
   * from the server, and a stray '/', '?' or space must not change the path.
   */
  static String segment(String value) {
    StringBuilder b = new StringBuilder();
    for (byte c : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }

  /** Joins a future, unwrapping the exception the call failed with. */
  public static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw e;
    }
  }

  private CompletableFuture<String> call(
      String method, String path, String bearer, String body, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() >= 200 && r.statusCode() < 300) {
                return r.body();
              }
              throw problem(r);
            });
  }

  private static ApiException problem(HttpResponse<String> r) {
    String type = "http-" + r.statusCode();
    String detail = r.body();
    try {
      JsonNode p = Json.MAPPER.readTree(r.body());
      if (p.hasNonNull("type")) {
        String t = p.get("type").asString();
        type = t.substring(t.lastIndexOf('/') + 1);
      }
      if (p.hasNonNull("detail")) {
        detail = p.get("detail").asString();
      }
    } catch (RuntimeException e) {
      // not a problem document; keep the raw body
    }
    return new ApiException(r.statusCode(), type, detail);
  }
}
