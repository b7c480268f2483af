package dev.easel.clusters.domain;

import java.util.Objects;

/**
 * One reason a request cannot be accepted, pinned to the field that causes it.
 *
 * @param field a path into the request, such as {@code config.podCidr}, {@code config.sshKeys[1]}
 *     or {@code nodePools[0].nodes[2]}
 * @param code a short kebab-case code a client can switch on, such as {@code cidr-overlap}
 * @param message what is wrong, in words a person can act on
 */
public record FieldProblem(String field, String code, String message) {

  public FieldProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + " [" + code + "]: " + message;
  }
}
