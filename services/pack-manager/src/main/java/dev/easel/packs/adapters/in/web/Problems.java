package dev.easel.packs.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import dev.easel.packs.application.RequestRefused;
import dev.easel.packs.domain.FieldProblem;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem responses, each with a stable {@code type} under {@code
 * https://easel.dev/problems/}. Validation problems list every fault in {@code errors}, each with
 * its {@code field}, a machine {@code code} and a {@code message}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems extends ProblemResponses {

  static final String BASE = ProblemResponses.BASE;

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

  @ExceptionHandler(MissingRequestHeaderException.class)
  ProblemDetail missingHeader(MissingRequestHeaderException e) {
    return problem(
        HttpStatus.BAD_REQUEST,
        "missing-header",
        "Invalid request",
        "the " + e.getHeaderName() + " header is required");
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
