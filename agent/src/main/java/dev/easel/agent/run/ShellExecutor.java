package dev.easel.agent.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a step's command with {@code /bin/sh -c}: a timeout that kills the whole process tree, the
 * exit code, and the last {@code outputLimit} bytes of stdout and stderr together.
 */
public final class ShellExecutor {

  /** What one run produced; {@code exitCode} is null when the command was killed. */
  public record Outcome(
      Integer exitCode, String output, long outputBytes, long durationMs, String failure) {

    public boolean succeeded() {
      return failure == null && exitCode != null && exitCode == 0;
    }
  }

  private final int outputLimit;

  public ShellExecutor(int outputLimit) {
    this.outputLimit = outputLimit;
  }

  /**
   * Runs the command until it ends, times out, or the calling thread is interrupted (a
   * cancellation); the last two kill it.
   */
  public Outcome run(String command, Duration timeout) {
    long started = System.nanoTime();
    Process p;
    try {
      p =
          new ProcessBuilder("/bin/sh", "-c", command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      return new Outcome(
          null, "", 0, millisSince(started), "cannot start /bin/sh: " + e.getMessage());
    }
    Tail tail = new Tail(outputLimit);
    Thread reader = new Thread(() -> tail.drain(p.getInputStream()), "easel-agent-output");
    reader.setDaemon(true);
    reader.start();
    String failure = null;
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        failure = "timed out after " + timeout.toSeconds() + " s; killed";
        kill(p);
      }
    } catch (InterruptedException e) {
      failure = "cancelled; killed";
      kill(p);
      Thread.currentThread().interrupt();
    }
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Integer exit = failure == null ? Integer.valueOf(p.exitValue()) : null;
    return new Outcome(exit, tail.text(), tail.total, millisSince(started), failure);
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The last {@code limit} bytes of a stream, in a ring. */
  private static final class Tail {
    private final byte[] ring;
    private long total;

    Tail(int limit) {
      ring = new byte[limit];
    }

    void drain(InputStream in) {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              ring[(int) (total++ % ring.length)] = buf[i];
            }
          }
        }
      } catch (IOException e) {
        // the process was killed; keep what was read
      }
    }

    synchronized String text() {
      int kept = (int) Math.min(total, ring.length);
      byte[] out = new byte[kept];
      long start = total - kept;
      for (int i = 0; i < kept; i++) {
        out[i] = ring[(int) ((start + i) % ring.length)];
      }
      String s = new String(out, StandardCharsets.UTF_8);
      return total > ring.length ? "[" + (total - kept) + " earlier bytes dropped]\n" + s : s;
    }
  }
}
