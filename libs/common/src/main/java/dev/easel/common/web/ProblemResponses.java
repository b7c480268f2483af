package dev.easel.common.web;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The RFC 9457 problems every service that serves HTTP answers alike: a body over its limit, a body
 * that is not JSON of the expected shape, a media type the resource does not take, and a path or
 * query parameter of the wrong type. Each service's problem advice extends this and adds its own;
 * every {@code type} is under {@link #BASE}.
 */
public abstract class ProblemResponses {

  public static final String BASE = "https://easel.dev/problems/";

  @ExceptionHandler(BodyLimitFilter.TooLarge.class)
  public ResponseEntity<ProblemDetail> tooLarge(BodyLimitFilter.TooLarge e) {
    ProblemDetail p =
        problem(
            HttpStatus.CONTENT_TOO_LARGE, e.limit().type(), "Content Too Large", e.getMessage());
    p.setProperty("limit", e.limit().bytes());
    // The rest of the body is not read; the connection is closed rather than drained.
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .header("Connection", "close")
        .body(p);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  public ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BodyLimitFilter.TooLarge tooLarge) {
        return tooLarge(tooLarge);
      }
    }
    return ResponseEntity.badRequest()
        .body(
            problem(
                HttpStatus.BAD_REQUEST,
                "malformed-body",
                "Malformed request body",
                "the request body is not valid JSON of the expected shape"));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  public ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported Media Type",
        "this resource takes " + e.getSupportedMediaTypes());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  public ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            "Invalid request",
            "'" + e.getValue() + "' is not a valid " + e.getName());
    p.setProperty("parameter", e.getName());
    return p;
  }

  /** A problem with its type under {@link #BASE}. */
  public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(BASE + type));
    p.setTitle(title);
    return p;
  }
}
