package dev.easel.compliance.adapters.in.web;

import static dev.easel.common.web.ProblemResponses.problem;

import dev.easel.compliance.application.Schedules;
import dev.easel.compliance.domain.scan.ScanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The schedules' RFC 9457 problems. The service's other problems (a malformed body, a cluster that
 * is not running) are {@link Problems}'.
 */
@RestControllerAdvice(assignableTypes = SchedulesController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ScheduleProblems {

  /** A path that names no kind of scan. */
  static final class UnknownKind extends RuntimeException {
    UnknownKind(String kind) {
      super("'" + kind + "' is not a kind of scan; kinds are " + kinds());
    }
  }

  /** The cluster has no schedule for the kind. */
  static final class NoSchedule extends RuntimeException {
    NoSchedule(UUID clusterId, ScanKind kind) {
      super("cluster " + clusterId + " has no " + kind.wireName() + " scan schedule");
    }
  }

  @ExceptionHandler(Schedules.Invalid.class)
  ProblemDetail invalid(Schedules.Invalid e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "invalid-scan-schedule",
            "Invalid scan schedule",
            e.getMessage());
    p.setProperty("errors", e.problems());
    return p;
  }

  @ExceptionHandler(UnknownKind.class)
  ProblemDetail unknownKind(UnknownKind e) {
    return problem(HttpStatus.NOT_FOUND, "scan-kind-not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(NoSchedule.class)
  ProblemDetail noSchedule(NoSchedule e) {
    return problem(HttpStatus.NOT_FOUND, "scan-schedule-not-found", "Not found", e.getMessage());
  }

  private static List<String> kinds() {
    List<String> names = new ArrayList<>();
    for (ScanKind k : ScanKind.values()) {
      names.add(k.wireName());
    }
    return names;
  }
}
