package dev.easel.gateway.application.port;

import dev.easel.gateway.domain.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where API tokens are kept, each by the hash of its secret. */
public interface TokenStore {

  /**
   * @return false when a live token has the name already
   */
  boolean insert(ApiToken token, byte[] secretHash);

  Optional<ApiToken> findBySecretHash(byte[] secretHash);

  Optional<ApiToken> find(UUID id);

  List<ApiToken> all();

  boolean revoke(UUID id, Instant at);

  void used(UUID id, Instant at);
}
