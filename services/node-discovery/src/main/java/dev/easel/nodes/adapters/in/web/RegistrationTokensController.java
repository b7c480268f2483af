package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.RegistrationTokens;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/registration-tokens}: create, list and revoke. */
@RestController
@RequestMapping("/api/v1/registration-tokens")
class RegistrationTokensController {

  private final RegistrationTokens tokens;

  RegistrationTokensController(RegistrationTokens tokens) {
    this.tokens = tokens;
  }

  record CreateToken(String name, Long ttlSeconds, Integer maxUses, Map<String, String> labels) {}

  /**
   * Makes a token. With {@code Idempotency-Key}, the same request again gets the same token
   * (without its secret, shown only once) and another request with the key gets 422.
   */
  @PostMapping
  ResponseEntity<RegistrationTokens.CreatedToken> create(
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
      @RequestBody CreateToken body) {
    RegistrationTokens.CreatedToken created =
        tokens.create(
            idempotencyKey, body.name(), body.ttlSeconds(), body.maxUses(), body.labels());
    return ResponseEntity.created(URI.create("/api/v1/registration-tokens/" + created.id()))
        .body(created);
  }

  @GetMapping
  Map<String, List<RegistrationTokens.TokenView>> list() {
    return Map.of("tokens", tokens.list());
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(@PathVariable UUID id) {
    tokens.revoke(id);
    return ResponseEntity.noContent().build();
  }
}
