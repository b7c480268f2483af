package dev.easel.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which local ports are taken, and by which process. The process is read from Linux's {@code /proc}
 * (the listening socket's inode, then the process whose descriptors hold it); elsewhere only
 * whether the port is taken is known.
 */
final class Ports {

  private static final Path PROC = Path.of("/proc");

  private Ports() {}

  /** Whether a server could listen on the port now, on every interface. */
  static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The process listening on the port, if {@code /proc} can tell. */
  static Optional<ProcessHandle> listener(int port) {
    Set<String> inodes = listeningInodes(port);
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path pid : pids) {
        if (holdsAny(pid.resolve("fd"), inodes)) {
          return ProcessHandle.of(Long.parseLong(pid.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Says who holds a port, for an error message: the pid and command line when known. */
  static String describeHolder(int port) {
    return listener(port)
        .map(
            p ->
                "pid "
                    + p.pid()
                    + " ("
                    + p.info().commandLine().map(Ports::shorten).orElse("command unknown")
                    + ")")
        .orElse("a process this user cannot see");
  }

  private static String shorten(String commandLine) {
    return commandLine.length() <= 160 ? commandLine : commandLine.substring(0, 157) + "...";
  }

  private static Set<String> listeningInodes(int port) {
    Set<String> inodes = new HashSet<>();
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    for (String table : List.of("net/tcp", "net/tcp6")) {
      Path file = PROC.resolve(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          String[] f = line.trim().split("\\s+");
          // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
          // inode
          if (f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
            inodes.add(f[9]);
          }
        }
      } catch (IOException e) {
        // unreadable: nothing known from this table
      }
    }
    return inodes;
  }

  private static boolean holdsAny(Path fdDir, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")
              && inodes.contains(target.substring(8, target.length() - 1))) {
            return true;
          }
        } catch (IOException | UnsupportedOperationException e) {
          // the descriptor closed meanwhile
        }
      }
    } catch (IOException | SecurityException e) {
      // another user's process, or gone
    }
    return false;
  }
}
