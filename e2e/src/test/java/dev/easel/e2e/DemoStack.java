package dev.easel.e2e;

import static org.awaitility.Awaitility.await;

import dev.easel.testing.Infrastructure;
import dev.easel.testing.PortOffsets;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./easel up --demo} for the whole test JVM: the devstack with every service, the demo's
 * packs, profile, management cluster, scan and backup. DemoTest checks what the demo did; the
 * console's browser journey then works on the same running system, as a user would after {@code
 * ./easel up --demo}. Started on first use, stopped when the JVM ends.
 */
final class DemoStack {

  private static DemoStack shared;

  final Path data;
  final int offset;
  final String base;
  final Path log;
  private final Process process;

  private DemoStack(Path data, int offset, Path log, Process process) {
    this.data = data;
    this.offset = offset;
    this.base = "http://127.0.0.1:" + (8080 + offset);
    this.log = log;
    this.process = process;
  }

  /** Whether the devstack's internal registry can run here. */
  static boolean possible() {
    return onPath("zot") || onPath("docker-registry");
  }

  static synchronized DemoStack get() throws IOException {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** What the devstack printed so far. */
  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String apiToken() throws IOException {
    return Files.readString(data.resolve("secrets").resolve("api-token")).trim();
  }

  private static DemoStack start() throws IOException {
    Path data = Infrastructure.tempDir("devstack-demo");
    int offset = PortOffsets.free(20000, 30000, 41, PortOffsets.DEVSTACK);
    Path log = data.resolveSibling(data.getFileName() + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JarProcess.jarOf("devstack", "easel-devstack-").toString(),
                "--root",
                Path.of("..").toAbsolutePath().normalize().toString(),
                "--data-dir",
                data.toString(),
                "--port-offset",
                Integer.toString(offset),
                "--services",
                "node-discovery,cluster-former,pack-manager,compliance,audit,gateway",
                "--demo")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    DemoStack stack = new DemoStack(data, offset, log, p);
    // Whatever becomes of this start (a timeout interrupts it), the devstack ends with the JVM.
    Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "demo-stack-stop"));
    try {
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError("the devstack exited:\n" + stack.output());
                }
                return stack.output().contains("Ready.");
              });
    } catch (RuntimeException | Error e) {
      stack.stop();
      throw e;
    }
    return stack;
  }

  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
