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

  /** A {@code Last-Event-ID} that is not one this stream gave. */
  static final class BadLastEventId extends RuntimeException {
    BadLastEventId(String value) {
      super("Last-Event-ID '" + value + "' is not an event id of this stream");
    }
  }

  @ExceptionHandler(dev.easel.clusters.application.Forming.Invalid.class)
  ProblemDetail invalid(dev.easel.clusters.application.Forming.Invalid e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "invalid-cluster",
            "Invalid cluster",
            e.problems().size() + " problem(s); nothing was created");
    p.setProperty("errors", e.problems());
    return p;
  }

  @ExceptionHandler(dev.easel.clusters.application.port.ClusterStore.Taken.class)
  ProblemDetail taken(dev.easel.clusters.application.port.ClusterStore.Taken e) {
    ProblemDetail p =
        problem(
            HttpStatus.CONFLICT,
            "management".equals(e.what())
                ? "management-cluster-exists"
                : "vip".equals(e.what()) ? "vip-in-use" : "cluster-name-taken",
            "Conflict",
            e.getMessage());
    return p;
  }

  @ExceptionHandler(dev.easel.clusters.application.Deleting.NotFound.class)
  ProblemDetail notFound(dev.easel.clusters.application.Deleting.NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "cluster-not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(dev.easel.clusters.domain.cluster.ClusterStateException.class)
  ProblemDetail wrongState(dev.easel.clusters.domain.cluster.ClusterStateException e) {
    ProblemDetail p =
        problem(HttpStatus.CONFLICT, "cluster-state-conflict", "Conflict", e.getMessage());
    p.setProperty("state", e.state().name());
    return p;
  }

  @ExceptionHandler(BadLastEventId.class)
  ProblemDetail badLastEventId(BadLastEventId e) {
    return problem(
        HttpStatus.BAD_REQUEST, "invalid-last-event-id", "Invalid request", e.getMessage());
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
}
