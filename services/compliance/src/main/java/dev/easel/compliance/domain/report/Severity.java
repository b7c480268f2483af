package dev.easel.compliance.domain.report;

import java.util.Locale;

/**
 * How bad a finding is, highest first: Grype's scale, which contains kube-hunter's {@code high},
 * {@code medium} and {@code low}. {@link #NONE} is for findings that have no severity (a kube-bench
 * check, a conformance test).
 */
public enum Severity {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW,
  NEGLIGIBLE,
  UNKNOWN,
  NONE;

  /** Case-insensitive, as Grype's {@code ParseSeverity}; anything else is {@link #UNKNOWN}. */
  public static Severity parse(String text) {
    if (text == null || text.isBlank()) {
      return UNKNOWN;
    }
    try {
      Severity s = valueOf(text.trim().toUpperCase(Locale.ROOT));
      return s == NONE ? UNKNOWN : s;
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
