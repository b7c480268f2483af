package dev.easel.compliance.domain.report;

/**
 * A report that cannot be read: malformed, too large, or hostile. The scan fails with the message,
 * which says what was wrong in words an operator can act on.
 */
public class ReportRejected extends Exception {

  public ReportRejected(String message) {
    super(message);
  }

  public ReportRejected(String message, Throwable cause) {
    super(message, cause);
  }
}
