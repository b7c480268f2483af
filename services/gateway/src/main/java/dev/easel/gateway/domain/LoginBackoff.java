package dev.easel.gateway.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How long sign-ins are refused after failures: nothing for the first few, then a delay that
 * doubles with each further failure up to a ceiling. Failures older than the window are forgotten.
 *
 * @param freeFailures failures allowed before any delay
 * @param first the first delay
 * @param ceiling the longest delay
 * @param window how long a failure is remembered after the last one
 */
public record LoginBackoff(int freeFailures, Duration first, Duration ceiling, Duration window) {

  /** The failures so far for one user or one address. */
  public record Attempts(int failures, Instant lastFailureAt, Instant blockedUntil) {

    public static final Attempts NONE = new Attempts(0, null, null);

    public boolean blockedAt(Instant now) {
      return blockedUntil != null && now.isBefore(blockedUntil);
    }
  }

  /** The attempts after one more failure at {@code now}. */
  public Attempts afterFailure(Attempts before, Instant now) {
    int failures =
        before.lastFailureAt() == null || before.lastFailureAt().plus(window).isBefore(now)
            ? 1
            : before.failures() + 1;
    Instant blockedUntil = null;
    if (failures > freeFailures) {
      int doublings = Math.min(failures - freeFailures - 1, 30);
      Duration delay = first.multipliedBy(1L << doublings);
      if (delay.compareTo(ceiling) > 0) {
        delay = ceiling;
      }
      blockedUntil = now.plus(delay);
    }
    return new Attempts(failures, now, blockedUntil);
  }
}
