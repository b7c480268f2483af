package dev.easel.compliance.adapters.out.reports;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A report made up as it is read, so that a test can feed a parser far more bytes than it could
 * hold: a head, {@code count} items joined by commas, and a tail. It counts the bytes it has given
 * out, so a test can tell how far the parser had read when something happened.
 */
final class GeneratedReport extends InputStream {

  private final byte[] head;
  private final IntFunction<String> item;
  private final long count;
  private final byte[] tail;
  private byte[] current;
  private int offset;
  private long next;
  private boolean tailGiven;
  private long produced;

  /** A report that never ends: the head, then {@code filler} over and over. */
  static GeneratedReport endless(String head, String filler) {
    return new GeneratedReport(head, i -> filler, Long.MAX_VALUE, "", "");
  }

  GeneratedReport(String head, IntFunction<String> item, long count, String tail) {
    this(head, item, count, ",", tail);
  }

  private GeneratedReport(
      String head, IntFunction<String> item, long count, String separator, String tail) {
    this.head = head.getBytes(StandardCharsets.UTF_8);
    this.item = i -> (i > 0 ? separator : "") + item.apply(i);
    this.count = count;
    this.tail = tail.getBytes(StandardCharsets.UTF_8);
    this.current = this.head;
  }

  long produced() {
    return produced;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (offset == current.length) {
      if (next < count) {
        current =
            item.apply((int) Math.min(next++, Integer.MAX_VALUE)).getBytes(StandardCharsets.UTF_8);
      } else if (!tailGiven) {
        tailGiven = true;
        current = tail;
      } else {
        return -1;
      }
      offset = 0;
    }
    int n = Math.min(len, current.length - offset);
    System.arraycopy(current, offset, buf, off, n);
    offset += n;
    produced += n;
    return n;
  }
}
