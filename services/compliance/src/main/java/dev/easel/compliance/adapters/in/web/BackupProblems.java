package dev.easel.compliance.adapters.in.web;

import static dev.easel.common.web.ProblemResponses.problem;

import dev.easel.compliance.application.BackupLocations;
import dev.easel.compliance.application.Backups;
import dev.easel.compliance.application.port.ObjectStores;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problems of backup locations, backups and restores. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class BackupProblems {

  @ExceptionHandler(BackupLocations.Invalid.class)
  ProblemDetail invalidLocation(BackupLocations.Invalid e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "invalid-backup-location",
            "Invalid backup location",
            e.getMessage());
    p.setProperty("errors", e.problems());
    return p;
  }

  @ExceptionHandler(BackupLocations.Unreachable.class)
  ProblemDetail unreachable(BackupLocations.Unreachable e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT,
            "backup-location-unreachable",
            "The backup location does not work",
            e.getMessage());
    p.setProperty("failure", e.failure());
    return p;
  }

  @ExceptionHandler(BackupLocations.NotFound.class)
  ProblemDetail locationNotFound(BackupLocations.NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "backup-location-not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(BackupLocations.Conflict.class)
  ProblemDetail locationConflict(BackupLocations.Conflict e) {
    return problem(HttpStatus.CONFLICT, e.code(), "Conflict", e.getMessage());
  }

  @ExceptionHandler(BackupLocations.Stale.class)
  ProblemDetail stale(BackupLocations.Stale e) {
    return problem(
        HttpStatus.PRECONDITION_FAILED, "stale-version", "Precondition failed", e.getMessage());
  }

  @ExceptionHandler(Backups.Invalid.class)
  ProblemDetail invalid(Backups.Invalid e) {
    ProblemDetail p =
        problem(
            HttpStatus.UNPROCESSABLE_CONTENT, "invalid-backup", "Invalid request", e.getMessage());
    p.setProperty("errors", e.problems());
    return p;
  }

  @ExceptionHandler(Backups.Refused.class)
  ProblemDetail refused(Backups.Refused e) {
    return problem(HttpStatus.CONFLICT, e.code(), "Conflict", e.getMessage());
  }

  @ExceptionHandler(Backups.NotFound.class)
  ProblemDetail notFound(Backups.NotFound e) {
    return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }

  @ExceptionHandler(Backups.StoreFailed.class)
  ProblemDetail storeFailed(Backups.StoreFailed e) {
    return problem(HttpStatus.BAD_GATEWAY, "backup-location-failed", "Bad gateway", e.getMessage());
  }

  @ExceptionHandler(ObjectStores.ObjectStoreException.class)
  ProblemDetail objectStore(ObjectStores.ObjectStoreException e) {
    ProblemDetail p =
        problem(HttpStatus.BAD_GATEWAY, "backup-location-failed", "Bad gateway", e.getMessage());
    p.setProperty(
        "failure", e.failure().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    return p;
  }
}
