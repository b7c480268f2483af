package dev.easel.devstack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The devstack's internal OCI registry: {@code zot} when it is on the PATH, else Debian's {@code
 * docker-registry}, on loopback only, with its data under {@code .easel/registry}. It has no
 * credentials: nothing outside this machine can reach it. pack-manager registers it as the internal
 * registry on its first start.
 */
final class LocalRegistry {

  private LocalRegistry() {}

  /** A running registry. */
  record Running(String kind, String url, Process process) {}

  /** Which registry binary this machine has, if any. */
  static Optional<Path> binary(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Starts zot or docker-registry, or answers empty when neither is installed. */
  static Optional<Running> start(Path dataDir, int port, Path logs) throws IOException {
    Optional<Path> zot = binary("zot");
    Optional<Path> distribution = binary("docker-registry");
    if (zot.isEmpty() && distribution.isEmpty()) {
      return Optional.empty();
    }
    Files.createDirectories(dataDir.resolve("data"));
    Files.createDirectories(logs);
    List<String> cmd;
    String kind;
    if (zot.isPresent()) {
      kind = "zot";
      Path config = dataDir.resolve("zot.json");
      Files.writeString(
          config,
          "{\"distSpecVersion\":\"1.1.0\",\"storage\":{\"rootDirectory\":\""
              + dataDir.resolve("data").toAbsolutePath()
              + "\",\"dedupe\":true,\"gc\":true},\"http\":{\"address\":\"127.0.0.1\",\"port\":\""
              + port
              + "\"},\"log\":{\"level\":\"warn\"}}\n");
      cmd = List.of(zot.get().toString(), "serve", config.toString());
    } else {
      kind = "docker-registry";
      Path config = dataDir.resolve("config.yml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "version: 0.1",
              "log:",
              "  level: warn",
              "storage:",
              "  filesystem:",
              "    rootdirectory: " + dataDir.resolve("data").toAbsolutePath(),
              "  delete:",
              "    enabled: true",
              "http:",
              "  addr: 127.0.0.1:" + port,
              ""));
      cmd = List.of(distribution.get().toString(), "serve", config.toString());
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("registry.log").toFile()))
            .start();
    String url = "http://127.0.0.1:" + port;
    awaitReady(url, p, logs.resolve("registry.log"));
    return Optional.of(new Running(kind, url, p));
  }

  private static void awaitReady(String url, Process p, Path log) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("the registry exited; see " + log);
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v2/")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    p.destroy();
    throw new IllegalStateException("the registry did not answer on " + url + "; see " + log);
  }
}
