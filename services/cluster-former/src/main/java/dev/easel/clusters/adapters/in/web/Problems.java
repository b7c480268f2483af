package dev.easel.clusters.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem responses, each with a stable {@code type} under {@code
 * https://easel.dev/problems/}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class Problems extends ProblemResponses {

  static final String BASE = ProblemResponses.BASE;

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
}
