package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.Artifacts;
import dev.easel.nodes.application.Heartbeats;
import dev.easel.nodes.application.PlanView;
import dev.easel.nodes.application.Plans;
import dev.easel.nodes.application.Registering;
import dev.easel.nodes.application.RequestRefused;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.PlanSignals;
import dev.easel.nodes.application.port.TokenStore;
import dev.easel.nodes.domain.Inventory;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /agent/v1}: what node agents call. Every call is authenticated before its body is read: an
 * unknown, expired or revoked token or credential gets 401 having cost no parsing, and learns
 * nothing of how a body is checked. Bodies are then read through {@link BodyLimits}.
 */
@RestController
@RequestMapping("/agent/v1")
class AgentController {

  static final int MAX_WAIT_SECONDS = 60;

  /**
   * The request header that carries an artifact's digest: {@code sha256:<64 hex digits>}, the form
   * OCI digests take. It travels ahead of the body, so a repeated upload is answered before its
   * body is read.
   */
  static final String ARTIFACT_DIGEST = "X-Artifact-Digest";

  private final Registering registering;
  private final Heartbeats heartbeats;
  private final Plans plans;
  private final Artifacts artifacts;
  private final PlanSignals signals;
  private final ObjectMapper json;

  AgentController(
      Registering registering,
      Heartbeats heartbeats,
      Plans plans,
      Artifacts artifacts,
      PlanSignals signals,
      ObjectMapper json) {
    this.registering = registering;
    this.heartbeats = heartbeats;
    this.plans = plans;
    this.artifacts = artifacts;
    this.signals = signals;
    this.json = json;
  }

  /**
   * The node's unfinished plans. With {@code since}, the answer waits up to {@code waitSeconds} for
   * the plans to change beyond that revision, so an idle agent holds one open request.
   */
  @GetMapping("/nodes/{id}/plans")
  DeferredResult<PlanView.Feed> plans(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestParam(name = "waitSeconds", defaultValue = "0") int waitSeconds,
      @RequestParam(name = "since", required = false) Long since) {
    heartbeats.authorize(id, bearer(authorization));
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-wait", "waitSeconds is 0 to " + MAX_WAIT_SECONDS);
    }
    DeferredResult<PlanView.Feed> result =
        new DeferredResult<>(waitSeconds * 1000L + 1_000L, () -> plans.feed(id));
    if (since == null || waitSeconds == 0) {
      result.setResult(plans.feed(id));
      return result;
    }
    Runnable cancel = signals.await(id, since, revision -> result.setResult(plans.feed(id)));
    result.onCompletion(cancel);
    // Registered before reading, so a change between the two is not missed.
    if (plans.revision(id) != since) {
      cancel.run();
      result.setResult(plans.feed(id));
    }
    return result;
  }

  /** One attempt's result for a step; reporting it again changes nothing. */
  @PostMapping("/nodes/{id}/plans/{planId}/steps/{stepId}/result")
  PlanView result(
      @PathVariable UUID id,
      @PathVariable String planId,
      @PathVariable String stepId,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      HttpServletRequest request) {
    heartbeats.authorizeStrictly(id, bearer(authorization));
    PlanView.StepResult r = read(request, PlanView.StepResult.class, "invalid-result", "result");
    return plans.report(id, planId, stepId, r);
  }

  /**
   * One artifact of the step the node is running, streamed to the artifact store and checked
   * against {@value #ARTIFACT_DIGEST} on the way: 201 when stored, 200 when it was stored before
   * with the same digest (the body is then not read). Its {@code Content-Type} is recorded as its
   * media type. Nothing of the body is read before the credential, the step and the name are
   * checked; a client that sends {@code Expect: 100-continue} (curl does, for large bodies) sends
   * no byte of it before then.
   */
  @PutMapping("/nodes/{id}/plans/{planId}/steps/{stepId}/artifacts/{name}")
  ResponseEntity<Artifacts.Stored> artifact(
      @PathVariable UUID id,
      @PathVariable String planId,
      @PathVariable String stepId,
      @PathVariable String name,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestHeader(name = ARTIFACT_DIGEST, required = false) String digest,
      @RequestHeader(name = "Content-Type", required = false) String contentType,
      HttpServletRequest request)
      throws IOException {
    heartbeats.authorizeStrictly(id, bearer(authorization));
    if (digest == null || digest.isBlank()) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-digest",
          "an artifact needs the " + ARTIFACT_DIGEST + " header: sha256:<64 hex digits>");
    }
    Artifacts.Upload upload =
        artifacts.upload(
            id, planId, stepId, name, digest, mediaType(contentType), request::getInputStream);
    return ResponseEntity.status(upload.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(upload.artifact());
  }

  /**
   * What is stored for an artifact, asked before uploading it: 200 with it when stored, 404 {@code
   * artifact-not-stored} when an upload would be taken, else the problem the upload would get. So
   * content stored already, or refused, is never sent; an agent on Java 17 cannot rely on {@code
   * Expect: 100-continue}, as its HTTP client waits forever for a body after a final answer.
   */
  @GetMapping("/nodes/{id}/plans/{planId}/steps/{stepId}/artifacts/{name}")
  Artifacts.Stored storedArtifact(
      @PathVariable UUID id,
      @PathVariable String planId,
      @PathVariable String stepId,
      @PathVariable String name,
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    heartbeats.authorizeStrictly(id, bearer(authorization));
    return artifacts.find(id, planId, stepId, name);
  }

  /** The media type as sent, checked; null when none was sent. */
  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    try {
      return MediaType.parseMediaType(contentType).toString();
    } catch (InvalidMediaTypeException e) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-media-type", "'" + contentType + "' is not a media type");
    }
  }

  @PostMapping("/nodes/{id}/heartbeat")
  ResponseEntity<Void> heartbeat(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    heartbeats.heartbeat(id, bearer(authorization));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/register")
  Registering.Registered register(
      @RequestHeader(name = "Authorization", required = false) String authorization,
      HttpServletRequest request) {
    TokenStore.Usable token = registering.authenticate(bearer(authorization));
    return registering.register(token, inventory(request));
  }

  /** The agent reports its inventory again; only a change is recorded and announced. */
  @PutMapping("/nodes/{id}/inventory")
  ResponseEntity<Void> inventory(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      HttpServletRequest request) {
    heartbeats.authorizeStrictly(id, bearer(authorization));
    registering.updateInventory(id, inventory(request));
    return ResponseEntity.noContent().build();
  }

  private Inventory inventory(HttpServletRequest request) {
    return read(request, Inventory.class, "invalid-inventory", "inventory");
  }

  /** Reads the body, bounded by {@link BodyLimits}, as the expected record. */
  private <T> T read(HttpServletRequest request, Class<T> type, String problem, String what) {
    byte[] body;
    try {
      body = request.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (body.length == 0) {
      throw new RequestRefused(Kind.INVALID, problem, "the " + what + " is missing");
    }
    try {
      return json.readValue(body, type);
    } catch (JacksonException e) {
      throw new RequestRefused(
          Kind.INVALID,
          problem,
          "the " + what + " is not valid JSON of the expected shape: " + e.getOriginalMessage());
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
