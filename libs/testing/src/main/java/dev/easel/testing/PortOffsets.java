package dev.easel.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Where a second devstack fits on this machine: an offset at which each of its ports is free, so
 * tests and benchmarks run beside a developer's own {@code ./easel up}.
 */
public final class PortOffsets {

  /** The devstack's ports at offset 0: the services, PostgreSQL, Kafka, the registry, S3Proxy. */
  public static final List<Integer> DEVSTACK =
      List.of(8080, 8081, 8082, 8083, 8084, 8085, 15432, 19092, 15000, 19000);

  private PortOffsets() {}

  /** The first offset in {@code [from, to)}, by {@code step}, at which every port is free. */
  public static int free(int from, int to, int step, List<Integer> ports) {
    for (int offset = from; offset < to; offset += step) {
      int o = offset;
      if (ports.stream().allMatch(port -> isFree(port + o))) {
        return offset;
      }
    }
    throw new IllegalStateException("no free port offset from " + from + " to " + to);
  }

  /** Whether nothing listens on this port now. */
  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
