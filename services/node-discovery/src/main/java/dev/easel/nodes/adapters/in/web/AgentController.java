package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.Liveness;
import dev.easel.nodes.application.Registering;
import dev.easel.nodes.application.RequestRefused;
import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.domain.Inventory;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** {@code /agent/v1}: what node agents call. */
@RestController
@RequestMapping("/agent/v1")
class AgentController {

  /** An inventory is a few kilobytes; anything near this is not one. */
  static final int MAX_INVENTORY_BYTES = 256 * 1024;

  private final Registering registering;
  private final Liveness liveness;
  private final ObjectMapper json;

  AgentController(Registering registering, Liveness liveness, ObjectMapper json) {
    this.registering = registering;
    this.liveness = liveness;
    this.json = json;
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
    return registering.register(bearer, inventory(body));
  }

  /** The agent reports its inventory again; only a change is recorded and announced. */
  @PutMapping("/nodes/{id}/inventory")
  ResponseEntity<Void> inventory(
      @PathVariable UUID id,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @RequestBody(required = false) byte[] body) {
    liveness.authorize(id, bearer(authorization));
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
