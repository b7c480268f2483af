package dev.easel.nodes.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import dev.easel.contracts.selectors.InvalidSelectorException;
import dev.easel.nodes.application.RequestRefused;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem responses. Each problem has a stable {@code type} under {@code
 * https://easel.dev/problems/}, a human {@code detail}, and extra members where they help. It runs
 * before Spring's own problem handler, whose answers carry no type of ours.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems extends ProblemResponses {

  static final String BASE = ProblemResponses.BASE;

  @ExceptionHandler(InvalidSelectorException.class)
  ProblemDetail invalidSelector(InvalidSelectorException e) {
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST, "invalid-selector", "Invalid label selector", e.getMessage());
    p.setProperty("position", e.position());
    return p;
  }

  @ExceptionHandler(BadRequest.class)
  ProblemDetail badRequest(BadRequest e) {
    return problem(HttpStatus.BAD_REQUEST, e.type(), "Invalid request", e.getMessage());
  }

  @ExceptionHandler(RequestRefused.class)
  ResponseEntity<ProblemDetail> refused(RequestRefused e) {
    HttpStatus status =
        switch (e.kind()) {
          case INVALID -> HttpStatus.BAD_REQUEST;
          case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
          case FORBIDDEN -> HttpStatus.FORBIDDEN;
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case CONFLICT -> HttpStatus.CONFLICT;
          case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
          case PRECONDITION_REQUIRED -> HttpStatus.PRECONDITION_REQUIRED;
          case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
          case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    ResponseEntity.BodyBuilder r = ResponseEntity.status(status);
    if (status == HttpStatus.UNAUTHORIZED) {
      r.header("WWW-Authenticate", "Bearer");
    }
    return r.body(problem(status, e.type(), status.getReasonPhrase(), e.getMessage()));
  }

  @ExceptionHandler(NotFound.class)
  ProblemDetail notFound(NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }
}
