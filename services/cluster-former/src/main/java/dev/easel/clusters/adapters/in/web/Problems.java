package dev.easel.clusters.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import java.net.URI;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem responses, each with a stable {@code type} under {@code
 * https://easel.dev/problems/}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems {

  static final String BASE = "https://easel.dev/problems/";

  @ExceptionHandler(BodyLimitFilter.TooLarge.class)
  ResponseEntity<ProblemDetail> tooLarge(BodyLimitFilter.TooLarge e) {
    ProblemDetail p =
        problem(
            HttpStatus.CONTENT_TOO_LARGE, e.limit().type(), "Content Too Large", e.getMessage());
    p.setProperty("limit", e.limit().bytes());
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
        .header("Connection", "close")
        .body(p);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
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

  @ExceptionHandler(ClusterBody.UnknownMode.class)
  ProblemDetail unknownMode(ClusterBody.UnknownMode e) {
    ProblemDetail p =
        problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    p.setProperty(
        "errors",
        java.util.List.of(
            java.util.Map.of(
                "field",
                "config.registry.mode",
                "code",
                "invalid-mode",
                "message",
                e.getMessage())));
    return p;
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported Media Type",
        "this resource takes " + e.getSupportedMediaTypes());
  }

  static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(BASE + type));
    p.setTitle(title);
    return p;
  }
}
