package dev.easel.agent.run;

import dev.easel.agent.inventory.Inventory;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.Supplier;

/** Runs one step: a shell command, or one of the built-in actions. */
final class StepRunner {

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

  ShellExecutor.Outcome run(ServerApi.Step step) {
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
