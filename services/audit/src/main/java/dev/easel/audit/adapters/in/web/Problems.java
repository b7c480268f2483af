package dev.easel.audit.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem responses. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems extends ProblemResponses {

  /** A query parameter out of range. */
  static final class BadParameter extends RuntimeException {
    private final String parameter;

    BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }
  }

  @ExceptionHandler(BadParameter.class)
  ProblemDetail badParameter(BadParameter e) {
    ProblemDetail p =
        problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid request", e.getMessage());
    p.setProperty("parameter", e.parameter);
    return p;
  }
}
