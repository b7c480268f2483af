package dev.easel.gateway.application.port;

import java.time.Instant;
import java.util.List;

/** The public keys that services may see identities signed with. */
public interface SigningKeyStore {

  void publish(String kid, String publicJwkJson, Instant createdAt, Instant retireAfter);

  /** The public keys not yet retired at {@code now}, as JWK JSON. */
  List<String> live(Instant now);

  void forgetRetired(Instant now);
}
