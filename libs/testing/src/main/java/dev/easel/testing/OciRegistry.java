package dev.easel.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} when it is on the PATH, Zot
 * through Testcontainers when Docker runs, and otherwise a skipped test that names what is missing.
 */
public final class OciRegistry implements AutoCloseable {

  private static volatile OciRegistry shared;

  private final String baseUrl;
  private final String kind;
  private final AutoCloseable handle;

  private OciRegistry(String baseUrl, String kind, AutoCloseable handle) {
    this.baseUrl = baseUrl;
    this.kind = kind;
    this.handle = handle;
  }

  /** The registry shared by this test JVM; skips the calling test when none can run. */
  public static OciRegistry shared() {
    OciRegistry r = shared;
    if (r == null) {
      synchronized (OciRegistry.class) {
        r = shared;
        if (r == null) {
          r = start();
          OciRegistry started = r;
          Runtime.getRuntime().addShutdownHook(new Thread(started::close));
          shared = r;
        }
      }
    }
    return r;
  }

  private static OciRegistry start() {
    Path binary = findOnPath("docker-registry");
    if (binary != null) {
      return startDistribution(binary);
    }
    if (dockerAvailable()) {
      GenericContainer<?> zot =
          new GenericContainer<>("ghcr.io/project-zot/zot-linux-amd64:v2.1.2")
              .withExposedPorts(5000)
              .waitingFor(Wait.forHttp("/v2/").forStatusCode(200));
      zot.start();
      return new OciRegistry(
          "http://" + zot.getHost() + ":" + zot.getMappedPort(5000), "zot", zot::stop);
    }
    Assumptions.abort(
        "no OCI registry available: install Debian's docker-registry package (on PATH as"
            + " docker-registry) or run a Docker engine for Zot");
    throw new IllegalStateException("unreachable");
  }

  private static OciRegistry startDistribution(Path binary) {
    try {
      int port = KraftBroker.freePort();
      Path dir = Files.createTempDirectory("easel-oci");
      Path config = dir.resolve("config.yml");
      Files.writeString(
          config,
          String.join(
              "\n",
              "version: 0.1",
              "log:",
              "  level: warn",
              "storage:",
              "  filesystem:",
              "    rootdirectory: " + dir.resolve("data"),
              "  delete:",
              "    enabled: true",
              "http:",
              "  addr: 127.0.0.1:" + port,
              ""));
      Process process =
          new ProcessBuilder(binary.toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("registry.log").toFile())
              .start();
      String url = "http://127.0.0.1:" + port;
      awaitReady(url, process, dir.resolve("registry.log"));
      return new OciRegistry(url, "docker-registry", process::destroy);
    } catch (IOException e) {
      throw new IllegalStateException("could not start docker-registry", e);
    }
  }

  private static void awaitReady(String url, Process process, Path log) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
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
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroy();
    throw new IllegalStateException("docker-registry did not answer on " + url);
  }

  private static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** For example {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code docker-registry} or {@code zot}. */
  public String kind() {
    return kind;
  }

  @Override
  public void close() {
    try {
      handle.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
