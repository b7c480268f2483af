package dev.easel.nodes.application.port;

import java.util.Optional;
import java.util.UUID;

/**
 * Which node a credential belongs to, by the credential's hash. An implementation may answer from a
 * cache; {@link #ownerFresh} never does.
 */
public interface Credentials {

  /** The owner, possibly from a cache, for calls that only prove liveness (heartbeats, polls). */
  Optional<UUID> owner(byte[] credentialHash);

  /** The owner read from the store, for calls that change something. */
  Optional<UUID> ownerFresh(byte[] credentialHash);

  /** Forgets what is cached for a node whose credential was replaced or dropped. */
  void forget(UUID nodeId);

  /** Forgets one credential, found replaced when its heartbeats were written. */
  void forget(byte[] credentialHash);
}
