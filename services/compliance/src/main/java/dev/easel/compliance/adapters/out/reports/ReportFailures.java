package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.ReportRejected;
import java.io.IOException;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Turns what the reading libraries throw into a {@link ReportRejected} whose message an operator
 * can act on: which report, and what was wrong with it, in one short sentence.
 */
final class ReportFailures {

  /** Library messages can quote a whole document; the operator needs the first words. */
  private static final int MAX_REASON_LENGTH = 200;

  private ReportFailures() {}

  /**
   * A Jackson failure while reading {@code what} as {@code language} ({@code JSON} or {@code
   * YAML}): a passed size limit, a failure of the stream underneath, a passed reading constraint,
   * or malformed input.
   */
  static ReportRejected fromJackson(String what, String language, JacksonException e) {
    Optional<LimitedInputStream.LimitExceeded> limit = limitIn(e);
    if (limit.isPresent()) {
      return new ReportRejected(what + " " + limit.get().getMessage(), e);
    }
    if (e instanceof JacksonIOException) {
      // The stream under the parser failed (a truncated or corrupt archive entry, say).
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new ReportRejected(what + " could not be read: " + shorten(cause.getMessage()), e);
    }
    if (e instanceof StreamConstraintsException) {
      String reason = e.getOriginalMessage();
      if (reason != null && reason.contains("nesting depth")) {
        return new ReportRejected(
            what + " nests deeper than " + ReportJson.MAX_NESTING_DEPTH + " levels", e);
      }
      return new ReportRejected(what + " goes past a reading limit: " + shorten(reason), e);
    }
    return new ReportRejected(what + " is not valid " + language + ": " + reason(e), e);
  }

  /** A failure to read {@code what}: a passed size limit, or the stream's own failure. */
  static ReportRejected fromIo(String what, IOException e) {
    return limitIn(e)
        .map(limit -> new ReportRejected(what + " " + limit.getMessage(), e))
        .orElseGet(
            () -> new ReportRejected(what + " could not be read: " + shorten(e.getMessage()), e));
  }

  /** The limit a stream passed, if that is what {@code e} comes down to. */
  static Optional<LimitedInputStream.LimitExceeded> limitIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LimitedInputStream.LimitExceeded limit) {
        return Optional.of(limit);
      }
    }
    return Optional.empty();
  }

  /** The first line of a library's message, cut to a readable length. */
  static String shorten(String message) {
    if (message == null || message.isBlank()) {
      return "no reason given";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    if (newline >= 0) {
      line = line.substring(0, newline).strip();
    }
    return line.length() <= MAX_REASON_LENGTH
        ? line
        : line.substring(0, MAX_REASON_LENGTH - 3) + "...";
  }

  private static String reason(JacksonException e) {
    String reason = shorten(e.getOriginalMessage());
    TokenStreamLocation at = e.getLocation();
    if (at != null && at.getLineNr() > 0) {
      reason += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
    return reason;
  }
}
