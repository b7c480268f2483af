package dev.easel.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The processes the devstack started, and a watchdog that ends them if the devstack itself is
 * killed before it can.
 *
 * <p>Service JVMs and the demo agent watch their parent and exit on their own. PostgreSQL cannot:
 * {@code pg_ctl} detaches the postmaster, so it outlives a killed devstack and keeps its port. The
 * watchdog is a small shell loop, a process apart from the JVM, that waits for the devstack to go
 * and then signals every pid listed in {@code run/children}: SIGINT (fast shutdown) for the
 * postmaster, SIGTERM for the rest. A clean stop empties the list first, so the watchdog then has
 * nothing left to do.
 */
final class Children implements AutoCloseable {

  /** {@code $1} is the devstack's pid, {@code $2} the list of "SIGNAL PID" lines. */
  private static final String WATCHDOG =
      """
      while kill -0 "$1" 2>/dev/null; do sleep 1; done
      [ -f "$2" ] || exit 0
      while read -r sig pid; do kill -s "$sig" "$pid" 2>/dev/null; done < "$2"
      rm -f "$2"
      """;

  private final Path list;
  private final List<Process> processes = new ArrayList<>();
  private final Map<Long, String> signals = new LinkedHashMap<>();
  private final Process watchdog;

  Children(Path runDir) {
    try {
      Files.createDirectories(runDir);
      list = runDir.resolve("children");
      Files.deleteIfExists(list);
      watchdog =
          new ProcessBuilder(
                  "/bin/sh",
                  "-c",
                  WATCHDOG,
                  "easel-devstack-watchdog",
                  Long.toString(ProcessHandle.current().pid()),
                  list.toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the devstack's watchdog", e);
    }
  }

  /** A process this stack started; it is stopped with SIGTERM. */
  synchronized void add(Process p) {
    processes.add(p);
    signals.put(p.pid(), "TERM");
    write();
  }

  /** The postmaster of a PostgreSQL data directory, read from its {@code postmaster.pid}. */
  synchronized void postmaster(Path dataDir) {
    try {
      String first = Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim();
      signals.put(Long.parseLong(first), "INT");
      write();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "PostgreSQL started, but its postmaster.pid in " + dataDir + " could not be read", e);
    }
  }

  /** Stops every process, newest first, and forgets them; the watchdog then has nothing to do. */
  synchronized void stopProcesses() {
    List<Process> reversed = new ArrayList<>(processes);
    java.util.Collections.reverse(reversed);
    reversed.forEach(Process::destroy);
    for (Process p : reversed) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
      signals.remove(p.pid());
    }
    processes.clear();
    write();
  }

  /** After PostgreSQL and the broker stopped: nothing is left for the watchdog. */
  @Override
  public synchronized void close() {
    signals.clear();
    try {
      Files.deleteIfExists(list);
    } catch (IOException e) {
      // the watchdog finds an empty list or none
    }
    watchdog.destroy();
  }

  private void write() {
    StringBuilder lines = new StringBuilder();
    signals.forEach((pid, sig) -> lines.append(sig).append(' ').append(pid).append('\n'));
    try {
      Path tmp = list.resolveSibling("children.tmp");
      Files.writeString(tmp, lines, StandardCharsets.US_ASCII);
      Files.move(tmp, list, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not record the devstack's children in " + list, e);
    }
  }
}
