package dev.easel.common.envelope;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context ({@code traceparent}) handling. A message emitted while handling another keeps
 * the trace id and gets a span id of its own, so a trace crosses Kafka hop by hop.
 */
public final class TraceParent {

  private static final Pattern FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private TraceParent() {}

  /** A new trace, sampled. */
  public static String newTrace() {
    return "00-" + hex(16) + "-" + hex(8) + "-01";
  }

  /** A child of the given parent, or a new trace if the parent is absent or malformed. */
  public static String childOf(String parent) {
    if (parent == null || !FORMAT.matcher(parent).matches()) {
      return newTrace();
    }
    return parent.substring(0, 36) + hex(8) + parent.substring(52);
  }

  /** The trace id of a well-formed traceparent, or null. */
  public static String traceId(String traceparent) {
    if (traceparent == null || !FORMAT.matcher(traceparent).matches()) {
      return null;
    }
    return traceparent.substring(3, 35);
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
