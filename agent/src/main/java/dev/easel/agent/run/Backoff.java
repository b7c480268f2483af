package dev.easel.agent.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, so a fleet coming back after an outage does not stampede. */
public final class Backoff {

  private final long minMs;
  private final long maxMs;
  private long nextMs;

  public Backoff(Duration min, Duration max) {
    this.minMs = min.toMillis();
    this.maxMs = max.toMillis();
    this.nextMs = minMs;
  }

  /** The next wait: doubling up to the maximum, each within ±20%. */
  public Duration next() {
    long base = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    double jitter = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
    return Duration.ofMillis((long) (base * jitter));
  }

  public void reset() {
    nextMs = minMs;
  }
}
