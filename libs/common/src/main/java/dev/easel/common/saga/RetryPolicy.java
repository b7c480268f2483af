package dev.easel.common.saga;

import java.time.Duration;

/**
 * How often a step's action or compensation is tried, and how long to wait between tries.
 *
 * @param maxAttempts tries in all, at least 1
 * @param initialBackoff wait before the second try
 * @param multiplier growth of the wait per try
 * @param maxBackoff the longest wait
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("a step is tried at least once");
    }
    if (multiplier < 1.0) {
      throw new IllegalArgumentException("backoff must not shrink");
    }
  }

  /** One try, no retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
  }

  /** Up to {@code n} tries, starting at 200 ms between them and doubling up to 10 s. */
  public static RetryPolicy attempts(int n) {
    return new RetryPolicy(n, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10));
  }

  public RetryPolicy backoff(Duration initial) {
    return new RetryPolicy(maxAttempts, initial, multiplier, maxBackoff);
  }

  /** The wait before try number {@code attempt + 1}, after {@code attempt} tries. */
  public Duration backoffAfter(int attempt) {
    double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
    return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
  }
}
