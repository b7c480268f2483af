package dev.easel.nodes.application.port;

import dev.easel.nodes.application.RegistrationTokens.TokenView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Where registration tokens are kept, as hashes of their secrets. */
public interface TokenStore {

  /** A token that can still be used, with its labels. */
  record Usable(UUID id, Map<String, String> labels) {}

  void insert(
      UUID id,
      String name,
      byte[] secretHash,
      Instant expiresAt,
      int maxUses,
      Map<String, String> labels,
      Instant at);

  List<TokenView> list(int limit);

  /**
   * @return false when no such token exists
   */
  boolean revoke(UUID id, Instant at);

  /** The token with this secret, if it is neither revoked, expired nor used up. */
  Optional<Usable> usable(byte[] secretHash, Instant now);

  /**
   * Uses the token once, in one conditional update, so racing registrations cannot use it more than
   * its limit.
   *
   * @return false when it can no longer be used
   */
  boolean use(UUID id, Instant now);

  /** Why the token with this secret cannot be used: revoked, expired, used up, or unknown. */
  String whyUnusable(byte[] secretHash, Instant now);

  /** Same, by id. */
  String whyUnusable(UUID id, Instant now);

  /** What a creation with an idempotency key answered, and a hash of the request it answered. */
  record Remembered(byte[] requestHash, UUID tokenId) {}

  Optional<Remembered> remembered(String idempotencyKey);

  /** Serializes requests with the same idempotency key until the transaction ends. */
  void lockIdempotencyKey(String idempotencyKey);

  void remember(String idempotencyKey, byte[] requestHash, UUID tokenId, Instant at);

  Optional<TokenView> find(UUID id);
}
