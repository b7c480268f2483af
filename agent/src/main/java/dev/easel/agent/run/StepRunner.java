package dev.easel.agent.run;

import dev.easel.agent.inventory.Inventory;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Runs one step: a shell command, or one of the built-in actions. */
final class StepRunner {

  static final String MASK = "********";

  interface InventorySender {
    void send(Inventory inventory) throws Exception;
  }

  private final ShellExecutor shell;
  private final Supplier<Inventory> inventory;
  private final InventorySender sender;

  StepRunner(ShellExecutor shell, Supplier<Inventory> inventory, InventorySender sender) {
    this.shell = shell;
    this.inventory = inventory;
    this.sender = sender;
  }

  /**
   * Runs the step with its secret files in place: each is written with mode 0600 (a missing
   * directory is made 0700) just before, and removed after, whatever the outcome. Their contents
   * are masked in what the step printed.
   */
  ShellExecutor.Outcome run(ServerApi.Step step) {
    if (step.secretFiles().isEmpty()) {
      return runStep(step);
    }
    List<Path> written = new ArrayList<>();
    try {
      for (Map.Entry<String, String> f : step.secretFiles().entrySet()) {
        written.add(writeSecret(f.getKey(), f.getValue()));
      }
      return masked(runStep(step), step.secretFiles().values());
    } catch (IOException | RuntimeException e) {
      String why = "could not write the step's secret files: " + e.getMessage();
      return new ShellExecutor.Outcome(1, why, why.length(), 0, why);
    } finally {
      for (Path p : written) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // Reported by the next run's write, which replaces it; nothing else can be done here.
        }
      }
    }
  }

  /** Replaces every secret of at least 4 characters in the output with asterisks. */
  static ShellExecutor.Outcome masked(ShellExecutor.Outcome o, Collection<String> secrets) {
    String output = o.output();
    if (output == null) {
      return o;
    }
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        output = output.replace(secret, MASK);
      }
    }
    return new ShellExecutor.Outcome(
        o.exitCode(), output, o.outputBytes(), o.durationMs(), o.failure());
  }

  private static Path writeSecret(String path, String content) throws IOException {
    if (path == null || !path.startsWith("/") || path.contains("/../")) {
      throw new IllegalArgumentException("a secret file needs a plain absolute path: " + path);
    }
    Path target = Path.of(path);
    Path dir = target.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.deleteIfExists(target);
    Files.createFile(
        target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(target, content == null ? "" : content);
    return target;
  }

  private ShellExecutor.Outcome runStep(ServerApi.Step step) {
    Duration timeout = Duration.ofSeconds(step.timeoutSeconds());
    if (step.command() != null) {
      return shell.run(step.command(), timeout);
    }
    long started = System.nanoTime();
    try {
      String output = action(step);
      return new ShellExecutor.Outcome(0, output, output.length(), since(started), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ShellExecutor.Outcome(null, "", 0, since(started), "cancelled");
    } catch (Exception e) {
      String why = step.action() + " failed: " + e.getMessage();
      return new ShellExecutor.Outcome(1, why, why.length(), since(started), why);
    }
  }

  private String action(ServerApi.Step step) throws Exception {
    switch (String.valueOf(step.action())) {
      case "report-inventory":
        sender.send(inventory.get());
        return "inventory reported";
      case "sleep":
        long seconds = Long.parseLong(step.args().getOrDefault("seconds", "1"));
        Thread.sleep(seconds * 1000);
        return "slept " + seconds + " s";
      case "write-file":
        return writeFile(step);
      default:
        throw new IllegalArgumentException("this agent does not know action " + step.action());
    }
  }

  private static String writeFile(ServerApi.Step step) throws IOException {
    String path = step.args().get("path");
    String content = step.args().getOrDefault("content", "");
    String mode = step.args().getOrDefault("mode", "0644");
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("write-file needs an absolute path");
    }
    Path target = Path.of(path);
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, content);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(rwx(mode)));
    return "wrote " + content.length() + " characters to " + path + " with mode " + mode;
  }

  /** {@code 0640} as {@code rw-r-----}. */
  static String rwx(String octal) {
    int bits = Integer.parseInt(octal, 8);
    StringBuilder s = new StringBuilder();
    for (int shift = 6; shift >= 0; shift -= 3) {
      int b = (bits >> shift) & 7;
      s.append((b & 4) != 0 ? 'r' : '-')
          .append((b & 2) != 0 ? 'w' : '-')
          .append((b & 1) != 0 ? 'x' : '-');
    }
    return s.toString();
  }

  private static long since(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
