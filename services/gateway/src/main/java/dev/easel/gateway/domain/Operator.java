package dev.easel.gateway.domain;

import dev.easel.contracts.api.Role;
import java.time.Instant;

/**
 * Someone who signs in.
 *
 * @param passwordHash the delegating encoder's hash ({@code {argon2}...}), or null for OIDC users
 * @param mustChangePassword true until the first password of their own is set
 * @param source {@code local} or {@code oidc}
 */
public record Operator(
    String name,
    String passwordHash,
    Role role,
    boolean mustChangePassword,
    boolean disabled,
    String source,
    Instant createdAt,
    Instant updatedAt) {

  public static final String LOCAL = "local";
  public static final String OIDC = "oidc";
}
