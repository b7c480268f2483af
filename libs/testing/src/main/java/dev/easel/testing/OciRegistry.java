package dev.easel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real OCI registry for tests: Debian's {@code docker-registry} (distribution 2.8) when it is on
 * the PATH, Zot through Testcontainers when Docker runs, and otherwise a skipped test that names
 * what is missing.
 *
 * <p>{@link #start(Options)} adds what a registry client must cope with in production: TLS from a
 * private CA, htpasswd Basic auth, and the Bearer token flow with a token server in this JVM. Only
 * {@code docker-registry} offers these; without it such a test is skipped.
 */
public final class OciRegistry implements AutoCloseable {

  private static volatile OciRegistry shared;

  private final String baseUrl;
  private final String kind;
  private final AutoCloseable handle;
  private final Options options;
  private final String caCertificatePem;
  private final SSLContext trust;
  private final RegistryTokenServer tokens;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * How a registry started by {@link #start(Options)} is reached.
   *
   * <p>Distribution 2.8.2 does not insist on TLS for htpasswd auth: it serves Basic auth over plain
   * HTTP, so {@link #basicAuth} needs no certificate. With {@code tokenAuth} the username and
   * password are what the token server accepts; the registry itself then takes only Bearer tokens.
   *
   * @param tls serve HTTPS with a certificate from a private CA made for this registry
   * @param username the one user, or null for anonymous access
   * @param password that user's password, or null for anonymous access
   * @param tokenAuth whether the registry wants Bearer tokens from the token server
   */
  public record Options(boolean tls, String username, String password, boolean tokenAuth) {

    public Options {
      if ((username == null) != (password == null)) {
        throw new IllegalArgumentException("a username needs a password and a password a username");
      }
      if (username != null && (username.isEmpty() || username.contains(":"))) {
        throw new IllegalArgumentException(
            "a username must be non-empty and free of ':' (htpasswd and Basic auth split there)");
      }
      if (tokenAuth && username == null) {
        throw new IllegalArgumentException("token auth needs the username and password to check");
      }
    }

    /** HTTP without auth, like {@link #shared()}. */
    public static Options plain() {
      return new Options(false, null, null, false);
    }

    /** HTTP with htpasswd Basic auth. */
    public static Options basicAuth(String username, String password) {
      return new Options(false, username, password, false);
    }

    /** HTTPS from a private CA with htpasswd Basic auth. */
    public static Options tlsBasicAuth(String username, String password) {
      return new Options(true, username, password, false);
    }

    /** HTTP with the Bearer token flow; the token server takes these Basic credentials. */
    public static Options tokenAuth(String username, String password) {
      return new Options(false, username, password, true);
    }

    boolean htpasswd() {
      return username != null && !tokenAuth;
    }

    private String missingFromZot() {
      List<String> features = new ArrayList<>();
      if (tls) {
        features.add("TLS");
      }
      if (htpasswd()) {
        features.add("htpasswd Basic auth");
      }
      if (tokenAuth) {
        features.add("Bearer token auth");
      }
      return String.join(", ", features);
    }
  }

  private OciRegistry(
      String baseUrl,
      String kind,
      AutoCloseable handle,
      Options options,
      TestCertificates.Issued ca,
      RegistryTokenServer tokens) {
    this.baseUrl = baseUrl;
    this.kind = kind;
    this.handle = handle;
    this.options = options;
    this.caCertificatePem = ca == null ? null : ca.certificatePem();
    this.trust = ca == null ? null : TestCertificates.trusting(ca.certificate());
    this.tokens = tokens;
  }

  /** The registry shared by this test JVM; skips the calling test when none can run. */
  public static OciRegistry shared() {
    OciRegistry r = shared;
    if (r == null) {
      synchronized (OciRegistry.class) {
        r = shared;
        if (r == null) {
          r = start(Options.plain());
          OciRegistry started = r;
          Runtime.getRuntime().addShutdownHook(new Thread(started::close));
          shared = r;
        }
      }
    }
    return r;
  }

  /**
   * A registry of its own for the caller, who closes it; skips the calling test when none can run
   * with these options.
   */
  public static OciRegistry start(Options options) {
    Objects.requireNonNull(options, "options");
    Path binary = findOnPath("docker-registry");
    if (binary != null) {
      return startDistribution(binary, options);
    }
    if (dockerAvailable()) {
      if (options.equals(Options.plain())) {
        return startZot();
      }
      Assumptions.abort(
          "no OCI registry with "
              + options.missingFromZot()
              + ": install Debian's docker-registry package (on PATH as docker-registry); the Zot"
              + " fallback through Docker runs plain HTTP without auth only");
    }
    Assumptions.abort(
        "no OCI registry available: install Debian's docker-registry package (on PATH as"
            + " docker-registry) or run a Docker engine for Zot");
    throw new IllegalStateException("unreachable");
  }

  private static OciRegistry startZot() {
    GenericContainer<?> zot =
        new GenericContainer<>("ghcr.io/project-zot/zot-linux-amd64:v2.1.2")
            .withExposedPorts(5000)
            .waitingFor(Wait.forHttp("/v2/").forStatusCode(200));
    zot.start();
    return new OciRegistry(
        "http://" + zot.getHost() + ":" + zot.getMappedPort(5000),
        "zot",
        zot::stop,
        Options.plain(),
        null,
        null);
  }

  private static OciRegistry startDistribution(Path binary, Options options) {
    Path dir;
    try {
      dir = Files.createTempDirectory("easel-oci");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Process process = null;
    RegistryTokenServer tokens = null;
    try {
      int port = KraftBroker.freePort();
      List<String> config = new ArrayList<>();
      config.add("version: 0.1");
      config.add("log:");
      config.add("  level: warn");
      config.add("storage:");
      config.add("  filesystem:");
      config.add("    rootdirectory: " + dir.resolve("data"));
      config.add("  delete:");
      config.add("    enabled: true");
      config.add("http:");
      config.add("  addr: 127.0.0.1:" + port);
      // Fixed so distribution does not warn about a generated one on every start.
      config.add("  secret: easel-test-" + UUID.randomUUID());
      TestCertificates.Issued ca = null;
      if (options.tls()) {
        ca = TestCertificates.selfSignedCa("Easel test registry CA");
        TestCertificates.Issued server =
            TestCertificates.serverCertificate(
                ca,
                "localhost",
                List.of("localhost"),
                List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1})));
        // The chain up to the CA, so that a client holding only the CA can verify it.
        Files.writeString(dir.resolve("server.crt"), server.certificatePem() + ca.certificatePem());
        Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
        config.add("  tls:");
        config.add("    certificate: " + dir.resolve("server.crt"));
        config.add("    key: " + dir.resolve("server.key"));
      }
      if (options.tokenAuth()) {
        tokens = RegistryTokenServer.start(options.username(), options.password());
        Files.writeString(dir.resolve("token-signer.crt"), tokens.signingCertificatePem());
        config.add("auth:");
        config.add("  token:");
        config.add("    realm: \"" + tokens.realm() + "\"");
        config.add("    service: " + RegistryTokenServer.SERVICE);
        config.add("    issuer: " + RegistryTokenServer.ISSUER);
        config.add("    rootcertbundle: " + dir.resolve("token-signer.crt"));
      } else if (options.htpasswd()) {
        // The lowest bcrypt cost Go accepts: distribution checks the hash on every request.
        String hash = new BCryptPasswordEncoder(4).encode(options.password());
        Files.writeString(dir.resolve("htpasswd"), options.username() + ":" + hash + "\n");
        config.add("auth:");
        config.add("  htpasswd:");
        config.add("    realm: easel-test-registry");
        config.add("    path: " + dir.resolve("htpasswd"));
      }
      config.add("");
      Path configFile = dir.resolve("config.yml");
      Files.writeString(configFile, String.join("\n", config));
      Path log = dir.resolve("registry.log");
      process =
          new ProcessBuilder(binary.toString(), "serve", configFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      String url = (options.tls() ? "https" : "http") + "://127.0.0.1:" + port;
      OciRegistry registry =
          new OciRegistry(
              url, "docker-registry", stopper(process, tokens, dir), options, ca, tokens);
      awaitReady(url, registry.httpClient(), process, log);
      return registry;
    } catch (IOException e) {
      IllegalStateException failure =
          new IllegalStateException("could not start docker-registry", e);
      stopAfterFailure(process, tokens, dir, failure);
      throw failure;
    } catch (RuntimeException | Error e) {
      stopAfterFailure(process, tokens, dir, e);
      throw e;
    }
  }

  private static void stopAfterFailure(
      Process process, RegistryTokenServer tokens, Path dir, Throwable failure) {
    try {
      stopper(process, tokens, dir).close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private static AutoCloseable stopper(Process process, RegistryTokenServer tokens, Path dir) {
    return () -> {
      if (process != null) {
        stop(process);
      }
      if (tokens != null) {
        tokens.close();
      }
      deleteRecursively(dir);
    };
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : paths) {
      try {
        Files.delete(path);
      } catch (NoSuchFileException e) {
        // gone already
      }
    }
  }

  /**
   * Polls {@code /v2/} until the registry answers: 200 when anonymous, 401 with auth. A TLS
   * registry is polled with its CA trusted, so a certificate Go serves but Java rejects fails here.
   */
  private static void awaitReady(String url, HttpClient http, Process process, Path log)
      throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/v2/")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200 || r.statusCode() == 401) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
        last = e;
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
    throw new IllegalStateException(
        "docker-registry did not answer on " + url + ": " + Files.readString(log), last);
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

  private HttpClient httpClient() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (trust != null) {
      builder.sslContext(trust);
    }
    return builder.build();
  }

  /** For example {@code http://127.0.0.1:41234}, or {@code https://127.0.0.1:41234} with TLS. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code docker-registry} or {@code zot}. */
  public String kind() {
    return kind;
  }

  /** The PEM of the private CA that signed the server's certificate; null without TLS. */
  public String caCertificatePem() {
    return caCertificatePem;
  }

  /** A context that trusts only this registry's private CA; null without TLS. */
  public SSLContext trust() {
    return trust;
  }

  /** The user of Basic auth or of the token server; null when anonymous. */
  public String username() {
    return options.username();
  }

  /** That user's password; null when anonymous. */
  public String password() {
    return options.password();
  }

  /** How many tokens the token server has issued; 0 without token auth. */
  public int tokenRequests() {
    return tokens == null ? 0 : tokens.tokensIssued();
  }

  /** Stops the registry and deletes its storage; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      handle.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
