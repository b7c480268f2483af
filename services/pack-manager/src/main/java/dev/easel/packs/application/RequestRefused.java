package dev.easel.packs.application;

import dev.easel.packs.domain.FieldProblem;
import java.util.List;

/**
 * A request refused with nothing changed. The web adapter turns it into an RFC 9457 problem, with
 * the per-field problems as its {@code errors} member.
 */
public final class RequestRefused extends RuntimeException {

  /** How a refusal maps to HTTP. */
  public enum Kind {
    INVALID,
    UNAUTHORIZED,
    NOT_FOUND,
    CONFLICT,
    PRECONDITION_FAILED,
    TOO_LARGE,
    UNPROCESSABLE,
    UNSUPPORTED_MEDIA_TYPE,
    TOO_MANY_REQUESTS,
    INSUFFICIENT_STORAGE,
    UNAVAILABLE
  }

  private final Kind kind;
  private final String type;
  private final List<FieldProblem> errors;

  public RequestRefused(Kind kind, String type, String detail) {
    this(kind, type, detail, List.of());
  }

  public RequestRefused(Kind kind, String type, String detail, List<FieldProblem> errors) {
    super(detail);
    this.kind = kind;
    this.type = type;
    this.errors = List.copyOf(errors);
  }

  public static RequestRefused notFound(String what) {
    return new RequestRefused(Kind.NOT_FOUND, "not-found", what + " does not exist");
  }

  public static RequestRefused invalid(String type, List<FieldProblem> errors) {
    return new RequestRefused(
        Kind.UNPROCESSABLE,
        type,
        errors.size() == 1
            ? errors.get(0).field() + ": " + errors.get(0).message()
            : errors.size() + " problems; see errors",
        errors);
  }

  public Kind kind() {
    return kind;
  }

  public String type() {
    return type;
  }

  public List<FieldProblem> errors() {
    return errors;
  }
}
