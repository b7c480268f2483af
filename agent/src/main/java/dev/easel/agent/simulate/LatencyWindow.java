package dev.easel.agent.simulate;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongConsumer;

/** Heartbeat latencies since the last look, for the simulator's progress line. */
public final class LatencyWindow implements LongConsumer {

  private final ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();

  @Override
  public void accept(long value) {
    nanos.add(value);
  }

  /** Empties the window: count, p50, p99 and max in milliseconds. */
  String drain() {
    long[] sorted = new long[nanos.size()];
    int n = 0;
    Long v;
    while (n < sorted.length && (v = nanos.poll()) != null) {
      sorted[n++] = v;
    }
    sorted = Arrays.copyOf(sorted, n);
    Arrays.sort(sorted);
    return String.format(
        "%d, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        n, percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100));
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
