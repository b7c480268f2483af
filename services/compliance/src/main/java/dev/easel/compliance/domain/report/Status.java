package dev.easel.compliance.domain.report;

/**
 * A finding's outcome, across tools: kube-bench's PASS, FAIL, WARN and INFO; a conformance test's
 * passed, failed (or timed out) and skipped; a vulnerability or a penetration finding is a FAIL.
 */
public enum Status {
  PASS,
  FAIL,
  WARN,
  INFO,
  SKIPPED
}
