package dev.easel.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of latencies in nanoseconds, reported in milliseconds. */
final class Stats {

  private final long[] sorted;

  Stats(Collection<Long> nanos) {
    sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
  }

  double percentileMs(double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1_000_000.0;
  }

  int count() {
    return sorted.length;
  }
}
