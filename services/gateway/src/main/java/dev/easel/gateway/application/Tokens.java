package dev.easel.gateway.application;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.port.TokenStore;
import dev.easel.gateway.domain.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens for the CLI and automation. The secret is 256 random bits, shown once; only its
 * SHA-256 is stored, which is enough for a secret that cannot be guessed and keeps each request's
 * check cheap (a password hash would cost tens of milliseconds a request). Checks are remembered
 * for a few seconds, so a revoked or expired token stops working within that time.
 */
@Service
public class Tokens {

  public static final String PREFIX = "easel_";
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Duration LONGEST = Duration.ofDays(366);
  private static final Duration REMEMBER = Duration.ofSeconds(5);

  private final TokenStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Remembered> recent = new ConcurrentHashMap<>();

  private record Remembered(Optional<ApiToken> token, Instant until) {}

  /** A token just made, with its secret: the only time the secret exists outside its holder. */
  public record Issued(ApiToken token, String secret) {}

  public Tokens(TokenStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Transactional
  public Issued create(String name, String role, Integer expiresInDays, String createdBy) {
    Map<String, String> problems = new LinkedHashMap<>();
    if (name == null || !NAME.matcher(name).matches()) {
      problems.put("name", "must be 1 to 64 of a-z, 0-9, '.', '_' or '-'");
    }
    Optional<Role> r = Role.of(role);
    if (r.isEmpty()) {
      problems.put("role", "must be viewer, operator or admin");
    }
    int days = expiresInDays == null ? 90 : expiresInDays;
    if (days < 1 || Duration.ofDays(days).compareTo(LONGEST) > 0) {
      problems.put("expiresInDays", "must be 1 to " + LONGEST.toDays());
    }
    if (!problems.isEmpty()) {
      throw new Operators.Invalid(problems);
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    ApiToken token =
        new ApiToken(
            UUID.randomUUID(),
            name,
            r.get(),
            createdBy,
            now,
            now.plus(Duration.ofDays(days)),
            null,
            null);
    if (!store.insert(token, hash(secret))) {
      throw new Operators.Conflict("token-exists", "a live token named '" + name + "' exists");
    }
    return new Issued(token, secret);
  }

  @Transactional(readOnly = true)
  public List<ApiToken> all() {
    return store.all();
  }

  @Transactional
  public void revoke(UUID id) {
    ApiToken t = store.find(id).orElseThrow(() -> new Operators.NotFound("no token " + id));
    if (t.revokedAt() == null) {
      store.revoke(id, clock.instant());
    }
    recent.clear();
  }

  /** The live token with this secret, if any. */
  public Optional<ApiToken> authenticate(String secret) {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 128) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    byte[] hash = hash(secret);
    // Remembered by hash: the secret itself is not kept beyond this request.
    String key = Base64.getEncoder().encodeToString(hash);
    Remembered r = recent.get(key);
    if (r == null || !now.isBefore(r.until())) {
      Optional<ApiToken> found = store.findBySecretHash(hash);
      if (found.isPresent() && found.get().usableAt(now)) {
        store.used(found.get().id(), now);
      }
      r = new Remembered(found, now.plus(REMEMBER));
      if (recent.size() > 10_000) {
        recent.clear();
      }
      recent.put(key, r);
    }
    return r.token().filter(t -> t.usableAt(now));
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
