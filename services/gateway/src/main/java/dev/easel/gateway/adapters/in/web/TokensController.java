package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.application.Operators;
import dev.easel.gateway.application.Tokens;
import dev.easel.gateway.domain.ApiToken;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API tokens, for admins. The secret is in the answer to its creation and nowhere after. */
@RestController
@RequestMapping(path = "/api/v1/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
class TokensController {

  record NewToken(String name, String role, Integer expiresInDays) {}

  private final Tokens tokens;

  TokensController(Tokens tokens) {
    this.tokens = tokens;
  }

  @GetMapping
  Map<String, Object> list() {
    return Map.of("items", tokens.all().stream().map(TokensController::view).toList());
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody NewToken body) {
    if (body == null) {
      throw new Operators.Invalid(Map.of("body", "is required"));
    }
    Caller caller = Caller.current().orElseThrow();
    Tokens.Issued issued =
        tokens.create(body.name(), body.role(), body.expiresInDays(), caller.subject());
    Map<String, Object> out = view(issued.token());
    out.put("secret", issued.secret());
    return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store").body(out);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> revoke(@PathVariable UUID id) {
    tokens.revoke(id);
    return ResponseEntity.noContent().build();
  }

  static Map<String, Object> view(ApiToken t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", t.id().toString());
    out.put("name", t.name());
    out.put("role", t.role().id());
    out.put("createdBy", t.createdBy());
    out.put("createdAt", t.createdAt().toString());
    out.put("expiresAt", t.expiresAt().toString());
    out.put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
    out.put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString());
    return out;
  }
}
