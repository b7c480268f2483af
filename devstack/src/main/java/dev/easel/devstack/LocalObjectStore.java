package dev.easel.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The devstack's S3-compatible server: S3Proxy's {@code jar-with-dependencies} in a JVM of its own,
 * on loopback, over a directory under {@code .easel/s3}, checking AWS signatures v2 and v4 against
 * one access key pair. The demo registers it as a backup location, and the simulated Velero writes
 * its backups there.
 *
 * <p>It runs as a child process, not in the devstack's JVM: its jclouds, Jetty, Jackson and Logback
 * must not meet the devstack's. It does not know the devstack's pid, so the devstack's watchdog
 * ({@link Children}) stops it when the devstack is killed.
 */
final class LocalObjectStore {

  /** The access key id; the secret is made on the first start. */
  static final String IDENTITY = "easel";

  /** The bucket made on the first start, for the demo's backup location. */
  static final String BUCKET = "velero";

  /** Where devstack's build copies S3Proxy's jar, under the repository root. */
  static final Path JAR = Path.of("devstack", "target", "s3proxy", "s3proxy.jar");

  private final String endpoint;
  private final int port;
  private final String secret;
  private final Process process;
  private final Path log;

  private LocalObjectStore(String endpoint, int port, String secret, Process process, Path log) {
    this.endpoint = endpoint;
    this.port = port;
    this.secret = secret;
    this.process = process;
    this.log = log;
  }

  /** S3Proxy's jar as devstack's build leaves it, if it has been built. */
  static Optional<Path> jar(Path root) {
    Path jar = root.resolve(JAR);
    return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
  }

  /**
   * Starts S3Proxy without waiting for it; {@link #awaitReady} does.
   *
   * @param dataDir its objects, one directory per bucket
   * @param properties where its settings go: they hold the secret, so the file is the owner's only
   */
  static LocalObjectStore launch(
      Path jar, int port, String secret, Path dataDir, Path properties, Path logs)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(logs);
    String endpoint = "http://127.0.0.1:" + port;
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", endpoint);
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", IDENTITY);
    p.setProperty("s3proxy.credential", secret);
    // S3Proxy 2.6 knows only the CRC64NVME flexible checksum and refuses a request with any other
    // x-amz-checksum-* header (the AWS SDK sends CRC32 with DeleteObjects); S3 and MinIO accept
    // them.
    p.setProperty("s3proxy.ignore-unknown-headers", "true");
    // S3Proxy's own NIO.2 store: jclouds' older "filesystem" lists directories as objects, which a
    // location's sync would take for backups it cannot read.
    p.setProperty("jclouds.provider", "filesystem-nio2");
    p.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
    p.setProperty("jclouds.identity", IDENTITY);
    p.setProperty("jclouds.credential", secret);
    Path tmp = properties.resolveSibling(properties.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (var out = Files.newBufferedWriter(tmp)) {
      p.store(out, "S3Proxy for the Easel devstack; written on every start");
    }
    Files.move(
        tmp, properties, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    Path log = logs.resolve("s3proxy.log");
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            // Logback would print its own configuration status at every start.
            "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
            "-jar",
            jar.toString(),
            "--properties",
            properties.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Its Logback reads the level from the environment; every request at info would fill the log.
    pb.environment().put("LOG_LEVEL", "warn");
    return new LocalObjectStore(endpoint, port, secret, pb.start(), log);
  }

  /**
   * Waits until S3Proxy answers HTTP, and the answer comes from the process this stack started,
   * then makes the {@value #BUCKET} bucket unless it is there already.
   */
  void awaitReady(Duration wait) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited; see " + log);
      }
      try {
        // Unsigned, so refused (403); any answer means it listens.
        http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "/")).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        Optional<ProcessHandle> listener = Ports.listener(port);
        if (listener.isPresent() && listener.get().pid() != process.pid()) {
          throw new IllegalStateException(
              "S3Proxy: port "
                  + port
                  + " is answered by "
                  + Ports.describeHolder(port)
                  + ", not by the process this stack started (pid "
                  + process.pid()
                  + ")");
        }
        ensureBucket();
        return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while S3Proxy started", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while S3Proxy started", e);
      }
    }
    process.destroy();
    throw new IllegalStateException("S3Proxy did not answer on " + endpoint + "; see " + log);
  }

  private void ensureBucket() {
    try (S3Client s3 = client()) {
      try {
        s3.headBucket(b -> b.bucket(BUCKET));
      } catch (NoSuchBucketException e) {
        s3.createBucket(b -> b.bucket(BUCKET));
      }
    }
  }

  /** A client signing with this server's key pair; the caller closes it. */
  S3Client client() {
    return client(endpoint, secret);
  }

  /**
   * A client for S3Proxy at the endpoint, path style since it is addressed by IP, with checksums
   * only where S3 requires them (see {@code s3proxy.ignore-unknown-headers}).
   */
  static S3Client client(String endpoint, String secret) {
    return S3Client.builder()
        .httpClient(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build())
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, secret)))
        .build();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String endpoint() {
    return endpoint;
  }

  String secret() {
    return secret;
  }

  Process process() {
    return process;
  }
}
