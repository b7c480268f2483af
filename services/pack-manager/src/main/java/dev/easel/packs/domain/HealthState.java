package dev.easel.packs.domain;

/** What the latest health check of a registry saw. */
public enum HealthState {
  /** {@code GET /v2/} answered 200 with the registry's credentials. */
  HEALTHY,
  /** The registry answered, but refused the credentials (or asked for some and had none). */
  UNAUTHORIZED,
  /** No answer, no route, no name, a timeout, or an answer that is not a registry's. */
  UNREACHABLE,
  /**
   * The TLS handshake failed: an untrusted or expired certificate, or a name that does not match.
   */
  TLS_ERROR
}
