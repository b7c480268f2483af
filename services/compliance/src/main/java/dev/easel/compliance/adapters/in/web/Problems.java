package dev.easel.compliance.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import dev.easel.compliance.application.Features;
import dev.easel.compliance.application.Reports;
import dev.easel.compliance.application.Scans;
import dev.easel.compliance.domain.scan.Scan;
import java.util.List;
import java.util.Map;
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

  /** A request that names something that is not one: a kind, a feature, a filter value. */
  static final class BadRequest extends RuntimeException {
    private final String field;

    BadRequest(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  @ExceptionHandler(BadRequest.class)
  ProblemDetail badRequest(BadRequest e) {
    ProblemDetail p =
        problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    p.setProperty(
        "errors", List.of(Map.of("field", e.field, "code", "invalid", "message", e.getMessage())));
    return p;
  }

  @ExceptionHandler(Features.ClusterNotFound.class)
  ProblemDetail clusterNotFound(Features.ClusterNotFound e) {
    return problem(HttpStatus.NOT_FOUND, "cluster-not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(Features.Unavailable.class)
  ProblemDetail unavailable(Features.Unavailable e) {
    return problem(HttpStatus.CONFLICT, "feature-unavailable", "Conflict", e.getMessage());
  }

  @ExceptionHandler(Scans.Invalid.class)
  ProblemDetail invalidScan(Scans.Invalid e) {
    ProblemDetail p =
        problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-scan", "Invalid scan", e.getMessage());
    p.setProperty("errors", e.problems());
    return p;
  }

  @ExceptionHandler(Scans.Refused.class)
  ProblemDetail refused(Scans.Refused e) {
    return problem(HttpStatus.CONFLICT, e.code(), "Conflict", e.getMessage());
  }

  @ExceptionHandler(Scans.NotFound.class)
  ProblemDetail scanNotFound(Scans.NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "scan-not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(Scan.StateException.class)
  ProblemDetail scanState(Scan.StateException e) {
    return problem(HttpStatus.CONFLICT, "scan-finished", "Conflict", e.getMessage());
  }

  @ExceptionHandler(Reports.NoReport.class)
  ProblemDetail noReport(Reports.NoReport e) {
    return problem(HttpStatus.NOT_FOUND, "no-report", "Not found", e.getMessage());
  }
}
