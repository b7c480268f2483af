package dev.easel.compliance.adapters.out.reports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it and fails once more than a limit have passed, rather than
 * stopping quietly at the limit: a report cut short could parse and look complete.
 *
 * <p>The failure is an {@link IOException}, so it travels through the libraries reading the stream
 * (Jackson, StAX, commons-compress) as their own I/O failures do; {@link ReportFailures} finds it
 * again in the cause chain. Closing does not close the stream underneath, which the caller owns.
 */
final class LimitedInputStream extends FilterInputStream {

  /**
   * The limit was passed; the message completes "the ... report" ({@code is larger than 1 GiB}).
   */
  static final class LimitExceeded extends IOException {

    LimitExceeded(String message) {
      super(message);
    }
  }

  private final long max;
  private final String exceeded;
  private long count;

  /**
   * @param exceeded the failure's message, completing "the ... report", e.g. {@code is larger than
   *     256 MiB}
   */
  LimitedInputStream(InputStream in, long max, String exceeded) {
    super(in);
    this.max = max;
    this.exceeded = exceeded;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    if (skipped > 0) {
      add(skipped);
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // The caller owns the stream underneath.
  }

  private void add(long n) throws LimitExceeded {
    count += n;
    if (count > max) {
      throw new LimitExceeded(exceeded);
    }
  }
}
