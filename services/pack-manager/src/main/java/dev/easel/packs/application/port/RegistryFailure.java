package dev.easel.packs.application.port;

import java.io.IOException;

/**
 * A registry refused, failed, or could not be reached; the kind says which, for people and health.
 */
public class RegistryFailure extends IOException {

  /** What went wrong. */
  public enum Kind {
    /** The registry refused the credentials, or the token service did. */
    UNAUTHORIZED,
    /** The repository, tag or blob does not exist. */
    NOT_FOUND,
    /** No connection: refused, no route, no name, a timeout. */
    UNREACHABLE,
    /** The TLS handshake failed. */
    TLS,
    /** The address is one pack-manager must not call (link-local, cloud metadata). */
    FORBIDDEN_ADDRESS,
    /** An answer the protocol does not allow, or a content that does not match its digest. */
    PROTOCOL
  }

  private final Kind kind;

  public RegistryFailure(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RegistryFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether trying again later may succeed. */
  public boolean transientFailure() {
    return kind == Kind.UNREACHABLE || kind == Kind.PROTOCOL;
  }
}
