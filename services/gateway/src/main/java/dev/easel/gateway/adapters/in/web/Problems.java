package dev.easel.gateway.adapters.in.web;

import dev.easel.common.web.ProblemResponses;
import dev.easel.gateway.application.Operators;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The gateway's own RFC 9457 problems. */
@RestControllerAdvice
class Problems extends ProblemResponses {

  @ExceptionHandler(Operators.Invalid.class)
  ProblemDetail invalid(Operators.Invalid e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "invalid-request",
            "Invalid request",
            e.problems().size() + " problem(s); nothing was changed");
    List<Map<String, String>> errors =
        e.problems().entrySet().stream()
            .map(x -> Map.of("field", x.getKey(), "message", x.getValue()))
            .toList();
    p.setProperty("errors", errors);
    return p;
  }

  @ExceptionHandler(Operators.Conflict.class)
  ProblemDetail conflict(Operators.Conflict e) {
    return problem(HttpStatus.CONFLICT, e.type(), "Conflict", e.getMessage());
  }

  @ExceptionHandler(Operators.NotFound.class)
  ProblemDetail notFound(Operators.NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "not-found", "Not Found", e.getMessage());
  }
}
