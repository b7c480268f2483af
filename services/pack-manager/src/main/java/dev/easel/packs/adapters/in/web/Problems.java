package dev.easel.packs.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import dev.easel.packs.application.RequestRefused;
import dev.easel.packs.domain.FieldProblem;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * RFC 9457 problem responses, each with a stable {@code type} under {@code
 * https://easel.dev/problems/}. Validation problems list every fault in {@code errors}, each with
 * its {@code field}, a machine {@code code} and a {@code message}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems {

  static final String BASE = "https://easel.dev/problems/";

  @ExceptionHandler(RequestRefused.class)
  ResponseEntity<ProblemDetail> refused(RequestRefused e) {
    HttpStatus status =
        switch (e.kind()) {
          case INVALID -> HttpStatus.BAD_REQUEST;
          case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
          case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
          case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
          case TOO_MANY_REQUESTS -> HttpStatus.TOO_MANY_REQUESTS;
          case INSUFFICIENT_STORAGE -> HttpStatus.INSUFFICIENT_STORAGE;
          case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    ProblemDetail p = problem(status, e.type(), status.getReasonPhrase(), e.getMessage());
    if (!e.errors().isEmpty()) {
      p.setProperty("errors", errors(e.errors()));
    }
    ResponseEntity.BodyBuilder r = ResponseEntity.status(status);
    if (status == HttpStatus.TOO_MANY_REQUESTS) {
      r.header("Retry-After", "5");
    }
    if (status == HttpStatus.CONTENT_TOO_LARGE) {
      // The rest of a refused upload is not read; the connection is closed rather than drained.
      r.header("Connection", "close");
    }
    return r.body(p);
  }

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

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
    return problem(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "unsupported-media-type",
        "Unsupported Media Type",
        "this resource takes " + e.getSupportedMediaTypes());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            "Invalid request",
            "'" + e.getValue() + "' is not a valid " + e.getName());
    p.setProperty("parameter", e.getName());
    return p;
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ProblemDetail missingHeader(MissingRequestHeaderException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "missing-header",
        "Invalid request",
        "the " + e.getHeaderName() + " header is required");
  }

  static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(BASE + type));
    p.setTitle(title);
    return p;
  }

  private static List<Map<String, String>> errors(List<FieldProblem> problems) {
    return problems.stream()
        .map(
            f -> {
              Map<String, String> m = new LinkedHashMap<>();
              m.put("field", f.field());
              m.put("code", f.code());
              m.put("message", f.message());
              return m;
            })
        .toList();
  }
}
