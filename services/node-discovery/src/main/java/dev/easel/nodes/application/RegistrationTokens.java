package dev.easel.nodes.application;

import dev.easel.nodes.application.RequestRefused.Kind;
import dev.easel.nodes.application.port.TokenStore;
import dev.easel.nodes.domain.Labels;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, listing and revoking registration tokens. */
@Service
public class RegistrationTokens {

  static final long MAX_TTL_SECONDS = 30L * 24 * 3600;
  static final int MAX_USES = 100_000;
  static final int MAX_KEY_CHARS = 200;

  private final TokenStore tokens;
  private final Clock clock;

  public RegistrationTokens(TokenStore tokens, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
  }

  /** A token as listed: never its secret. */
  public record TokenView(
      UUID id,
      String name,
      Instant expiresAt,
      int maxUses,
      int uses,
      Map<String, String> labels,
      Instant revokedAt,
      Instant createdAt) {}

  /**
   * A new token; {@code token} is the secret, shown only when the token is made. A request repeated
   * with its idempotency key gets the same token without it.
   */
  public record CreatedToken(
      UUID id,
      String name,
      String token,
      Instant expiresAt,
      int maxUses,
      int uses,
      Map<String, String> labels) {}

  /**
   * Makes a token. With an idempotency key, the same request again answers the token it made
   * (without the secret, which is kept nowhere) and a different request with that key is refused.
   */
  @Transactional
  public CreatedToken create(
      String idempotencyKey,
      String name,
      Long ttlSeconds,
      Integer maxUses,
      Map<String, String> labels) {
    validate(name, ttlSeconds, maxUses, labels);
    Map<String, String> l = labels == null ? Map.of() : labels;
    byte[] request = requestHash(name, ttlSeconds, maxUses, l);
    if (idempotencyKey != null) {
      if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_CHARS) {
        throw new RequestRefused(
            Kind.INVALID,
            "invalid-idempotency-key",
            "Idempotency-Key is 1 to " + MAX_KEY_CHARS + " characters");
      }
      // Two requests racing with one key: the second waits here, then finds the first's token.
      tokens.lockIdempotencyKey(idempotencyKey);
      Optional<TokenStore.Remembered> seen = tokens.remembered(idempotencyKey);
      if (seen.isPresent()) {
        if (!Arrays.equals(seen.get().requestHash(), request)) {
          throw new RequestRefused(
              Kind.UNPROCESSABLE,
              "idempotency-key-reused",
              "Idempotency-Key " + idempotencyKey + " was used for a different request");
        }
        TokenView made = tokens.find(seen.get().tokenId()).orElseThrow();
        return new CreatedToken(
            made.id(),
            made.name(),
            null,
            made.expiresAt(),
            made.maxUses(),
            made.uses(),
            made.labels());
      }
    }
    UUID id = UUID.randomUUID();
    String secret = Secrets.newSecret("esl_rt_");
    Instant now = clock.instant();
    Instant expires = now.plusSeconds(ttlSeconds);
    tokens.insert(id, name, Secrets.hash(secret), expires, maxUses, l, now);
    if (idempotencyKey != null) {
      tokens.remember(idempotencyKey, request, id, now);
    }
    return new CreatedToken(id, name, secret, expires, maxUses, 0, l);
  }

  public List<TokenView> list() {
    return tokens.list(1000);
  }

  /** Revokes a token; revoking twice is fine, an unknown id is not. */
  @Transactional
  public void revoke(UUID id) {
    if (!tokens.revoke(id, clock.instant())) {
      throw new RequestRefused(
          Kind.NOT_FOUND, "not-found", "registration token " + id + " does not exist");
    }
  }

  private static void validate(
      String name, Long ttlSeconds, Integer maxUses, Map<String, String> labels) {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "name is required, 1 to 100 characters");
    }
    if (ttlSeconds == null || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "ttlSeconds must be between 1 and " + MAX_TTL_SECONDS);
    }
    if (maxUses == null || maxUses < 1 || maxUses > MAX_USES) {
      throw new RequestRefused(
          Kind.INVALID, "invalid-token", "maxUses must be between 1 and " + MAX_USES);
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (l.size() > Labels.MAX_PER_NODE) {
      throw new RequestRefused(
          Kind.INVALID,
          "invalid-token",
          "a token carries at most " + Labels.MAX_PER_NODE + " labels");
    }
    for (Map.Entry<String, String> e : l.entrySet()) {
      if (e.getValue() == null) {
        throw new RequestRefused(
            Kind.INVALID, "invalid-token", "label " + e.getKey() + " has no value");
      }
      Labels.problem(e.getKey(), e.getValue(), true)
          .ifPresent(
              p -> {
                throw new RequestRefused(Kind.INVALID, "invalid-token", p);
              });
    }
  }

  /** The request in a canonical form, hashed: label order does not make it another request. */
  private static byte[] requestHash(
      String name, Long ttlSeconds, Integer maxUses, Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    b.append(name).append('\n').append(ttlSeconds).append('\n').append(maxUses).append('\n');
    new TreeMap<>(labels).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return Secrets.hash(b.toString());
  }
}
