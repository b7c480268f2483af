package dev.easel.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A built jar run as its own process, with its output in a log file for when a test fails. */
final class JarProcess implements AutoCloseable {

  private final Process process;
  final Path log;

  private JarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static JarProcess start(Path jar, Path log, List<String> jvm, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    return new JarProcess(p, log);
  }

  /** The jar a module packaged, found next to this module: {@code ../<module>/target}. */
  static Path jarOf(String module, String prefix) throws IOException {
    Path target = Path.of("..").resolve(module).resolve("target").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .filter(p -> !p.getFileName().toString().endsWith("-plain.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + target));
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Stops it as Ctrl-C or systemd would: SIGTERM, then a kill after 10 s.
   *
   * @return whether it stopped by itself
   */
  boolean stop() throws InterruptedException {
    process.destroy();
    if (process.waitFor(10, TimeUnit.SECONDS)) {
      return true;
    }
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    return false;
  }

  /** Kills it with no chance to clean up, as a power cut would. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
