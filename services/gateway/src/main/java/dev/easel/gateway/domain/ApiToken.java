package dev.easel.gateway.domain;

import dev.easel.contracts.api.Role;
import java.time.Instant;
import java.util.UUID;

/** An API token as stored: everything but its secret, of which only a hash is kept. */
public record ApiToken(
    UUID id,
    String name,
    Role role,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt,
    Instant lastUsedAt) {

  public boolean usableAt(Instant now) {
    return revokedAt == null && now.isBefore(expiresAt);
  }

  /** Who it acts as, in the identity given to services and in events. */
  public String subject() {
    return "token:" + name;
  }
}
