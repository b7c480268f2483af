package dev.easel.nodes.application;

/**
 * A request refused with nothing changed. The web adapter turns it into an RFC 9457 problem.
 *
 * @see dev.easel.nodes.adapters.in.web
 */
public final class RequestRefused extends RuntimeException {

  /** How a refusal maps to HTTP. */
  public enum Kind {
    INVALID,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    PRECONDITION_FAILED,
    PRECONDITION_REQUIRED,
    TOO_LARGE,
    UNPROCESSABLE
  }

  private final Kind kind;
  private final String type;

  public RequestRefused(Kind kind, String type, String detail) {
    super(detail);
    this.kind = kind;
    this.type = type;
  }

  public Kind kind() {
    return kind;
  }

  public String type() {
    return type;
  }
}
