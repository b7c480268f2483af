package dev.easel.nodes.adapters.out.cache;

import dev.easel.nodes.application.port.Credentials;
import dev.easel.nodes.application.port.NodeStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credential owners from the store, cached by the credential's hash (never its secret) for longer
 * than the heartbeat interval, so a steady heartbeat costs no query. A credential replaced on
 * another instance still passes the cache, but its heartbeats are checked again when they are
 * written: they do not count, and the credential is dropped from the cache.
 */
public final class CachingCredentials implements Credentials {

  private static final int MAX_ENTRIES = 100_000;

  private final NodeStore nodes;
  private final Clock clock;
  private final Duration ttl;
  private final Map<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(UUID nodeId, Instant until) {}

  public CachingCredentials(NodeStore nodes, Clock clock, Duration ttl) {
    this.nodes = nodes;
    this.clock = clock;
    this.ttl = ttl;
  }

  @Override
  public Optional<UUID> owner(byte[] credentialHash) {
    ByteBuffer key = ByteBuffer.wrap(credentialHash.clone());
    Instant now = clock.instant();
    Cached cached = cache.get(key);
    if (cached != null && cached.until().isAfter(now)) {
      return Optional.of(cached.nodeId());
    }
    Optional<UUID> owner = nodes.ownerOfCredential(credentialHash);
    if (owner.isEmpty()) {
      cache.remove(key);
      return owner;
    }
    if (cache.size() > MAX_ENTRIES) {
      cache.clear();
    }
    cache.put(key, new Cached(owner.get(), now.plus(ttl)));
    return owner;
  }

  @Override
  public Optional<UUID> ownerFresh(byte[] credentialHash) {
    cache.remove(ByteBuffer.wrap(credentialHash));
    return owner(credentialHash);
  }

  @Override
  public void forget(UUID nodeId) {
    cache.values().removeIf(c -> c.nodeId().equals(nodeId));
  }

  @Override
  public void forget(byte[] credentialHash) {
    cache.remove(ByteBuffer.wrap(credentialHash));
  }
}
