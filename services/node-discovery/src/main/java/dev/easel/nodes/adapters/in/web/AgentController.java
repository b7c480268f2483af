package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.Liveness;
import dev.easel.nodes.application.PlanSignals;
import dev.easel.nodes.application.PlanView;
import dev.easel.nodes.application.Plans;
import dev.easel.nodes.application.Registering;
import dev.easel.nodes.application.RequestRefused;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.Inventory;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** {@code /agent/v1}: what node agents call. */
@RestController
@RequestMapping("/agent/v1")
class AgentController {

  /** An inventory is a few kilobytes; anything near this is not one. */
  static final int MAX_INVENTORY_BYTES = 256 * 1024;

  /** A step result carries at most {@link Plans#MAX_OUTPUT_CHARS} of output; this leaves room. */
  static final int MAX_RESULT_BYTES = 64 * 1024;

  static final int MAX_WAIT_SECONDS = 60;

  private final Registering registering;
  private final Liveness liveness;
  private final Plans plans;
  private final PlanSignals signals;
  private final ObjectMapper json;

  AgentController(
      Registering registering,
      Liveness liveness,
      Plans plans,
      PlanSignals signals,
      ObjectMapper json) {
    this.registering = registering;
    this.liveness = liveness;
    this.plans = plans;
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
    liveness.authorize(id, bearer(authorization));
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
      @RequestBody(required = false) byte[] body) {
    liveness.authorizeStrictly(id, bearer(authorization));
    if (body == null || body.length == 0) {
      throw new RequestRefused(Kind.INVALID, "invalid-result", "the result is missing");
    }
    if (body.length > MAX_RESULT_BYTES) {
      throw new RequestRefused(
          Kind.TOO_LARGE,
          "result-too-large",
          "the result is " + body.length + " bytes; at most " + MAX_RESULT_BYTES + " are accepted");
    }
    PlanView.StepResult r;
    try {
      r = json.readValue(new String(body, StandardCharsets.UTF_8), PlanView.StepResult.class);
    } catch (JacksonException e) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-result",
          "the result is not valid JSON of the expected shape: " + e.getOriginalMessage());
    }
    return plans.report(id, planId, stepId, r);
  }

  @PostMapping("/nodes/{id}/heartbeat")
  ResponseEntity<Void> heartbeat(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization) {
    liveness.heartbeat(id, bearer(authorization));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/register")
  Registering.Registered register(
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody(required = false) byte[] body) {
    String bearer = bearer(authorization);
    Registering.Registered registered = registering.register(bearer, inventory(body));
    liveness.forget(registered.nodeId()); // its old credential stops here at once
    return registered;
  }

  /** The agent reports its inventory again; only a change is recorded and announced. */
  @PutMapping("/nodes/{id}/inventory")
  ResponseEntity<Void> inventory(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody(required = false) byte[] body) {
    liveness.authorizeStrictly(id, bearer(authorization));
    registering.updateInventory(id, inventory(body));
    return ResponseEntity.noContent().build();
  }

  private Inventory inventory(byte[] body) {
    if (body == null || body.length == 0) {
      throw new RequestRefused(Kind.INVALID, "invalid-inventory", "the inventory is missing");
    }
    if (body.length > MAX_INVENTORY_BYTES) {
      throw new RequestRefused(
          Kind.TOO_LARGE,
          "inventory-too-large",
          "the inventory is "
              + body.length
              + " bytes; at most "
              + MAX_INVENTORY_BYTES
              + " are accepted");
    }
    try {
      return json.readValue(new String(body, StandardCharsets.UTF_8), Inventory.class);
    } catch (JacksonException e) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-inventory",
          "the inventory is not valid JSON of the expected shape: " + e.getOriginalMessage());
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return authorization.substring(7).trim();
  }
}
