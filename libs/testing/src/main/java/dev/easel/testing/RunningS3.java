package dev.easel.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server in the test JVM: S3Proxy over a directory, with AWS signatures v2 and
 * v4 checked against one access key pair.
 *
 * <p>S3Proxy's fat jar bundles jclouds, Jetty 11, Jackson 2 and Logback at versions of its own, so
 * it never goes on a classpath: it runs in a class loader of its own whose parent is the platform
 * class loader, and is driven through reflection. The jar comes from the local Maven repository,
 * named by the system property {@value #JAR_PROPERTY} that the root pom's surefire configuration
 * sets; libs/testing's build makes sure it is downloaded.
 */
public final class RunningS3 implements AutoCloseable {

  /** The system property naming S3Proxy's {@code jar-with-dependencies}. */
  public static final String JAR_PROPERTY = "easel.s3proxy.jar";

  private static final String ACCESS_KEY = "easel-test-access";
  private static volatile RunningS3 shared;

  private final Object proxy;
  private final URLClassLoader loader;
  private final Path dir;
  private final String endpoint;
  private final String secretKey;
  private final TestCertificates.Issued ca;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunningS3(
      Object proxy,
      URLClassLoader loader,
      Path dir,
      String endpoint,
      String secretKey,
      TestCertificates.Issued ca) {
    this.proxy = proxy;
    this.loader = loader;
    this.dir = dir;
    this.endpoint = endpoint;
    this.secretKey = secretKey;
    this.ca = ca;
  }

  /** The plain-HTTP server shared by this test JVM, started on first use, stopped at exit. */
  public static RunningS3 shared() {
    RunningS3 s = shared;
    if (s == null) {
      synchronized (RunningS3.class) {
        s = shared;
        if (s == null) {
          s = start(false);
          Runtime.getRuntime().addShutdownHook(new Thread(s::close, "running-s3-stop"));
          shared = s;
        }
      }
    }
    return s;
  }

  /**
   * A server of the caller's own, who closes it, serving HTTPS only with a certificate for
   * 127.0.0.1 and localhost from a private CA made for it ({@link #caCertificatePem()}).
   */
  public static RunningS3 https() {
    return start(true);
  }

  /**
   * A CA certificate that signed nothing any server here presents: trusting only it must fail the
   * TLS handshake.
   */
  public static String unrelatedCaCertificatePem() {
    return TestCertificates.selfSignedCa("Easel unrelated test CA").certificatePem();
  }

  /** {@code http://127.0.0.1:<port>}, or {@code https://...} for {@link #https()}. */
  public String endpoint() {
    return endpoint;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  /** Random per server, so a leak of one test's secret into a message shows. */
  public String secretKey() {
    return secretKey;
  }

  /** The PEM of the CA that signed this server's certificate; null for plain HTTP. */
  public String caCertificatePem() {
    return ca == null ? null : ca.certificatePem();
  }

  /**
   * Creates a bucket, as an S3 client would; its name must be new to this server. Buckets are not
   * removed: give each test a bucket of its own ({@link #newBucket()}).
   */
  public void createBucket(String name) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(name));
    }
  }

  /** A bucket with a fresh name, created. */
  public String newBucket() {
    String name = "b-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    createBucket(name);
    return name;
  }

  /**
   * An S3 client for this server, trusting its CA when it serves HTTPS; the caller closes it. Path
   * style, since S3Proxy is addressed by IP.
   */
  public S3Client client() {
    return client(ACCESS_KEY, secretKey);
  }

  /** A client like {@link #client()} that signs with other keys, to see them refused. */
  public S3Client client(String accessKey, String secretKey) {
    UrlConnectionHttpClient.Builder http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30));
    if (ca != null) {
      TrustManager[] trust = trustManagers(ca.certificate());
      http.tlsTrustManagersProvider(() -> trust);
    }
    return S3Client.builder()
        .httpClient(http.build())
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /** Stops the server and removes its data. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      proxy.getClass().getMethod("stop").invoke(proxy);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot stop S3Proxy", e);
    } finally {
      try {
        loader.close();
      } catch (IOException ignored) {
        // the jar stays open until the JVM ends; nothing else depends on it
      }
      deleteRecursively(dir);
    }
  }

  @Override
  public String toString() {
    return "RunningS3[" + endpoint + "]";
  }

  private static RunningS3 start(boolean tls) {
    Path jar = jar();
    Path dir;
    try {
      dir = Files.createTempDirectory("easel-s3");
      Files.createDirectories(dir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String secret = "secret-" + UUID.randomUUID();
    Properties props = new Properties();
    props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    props.setProperty("s3proxy.identity", ACCESS_KEY);
    props.setProperty("s3proxy.credential", secret);
    // S3Proxy 2.6 knows only the CRC64NVME flexible checksum and refuses a request with any other
    // x-amz-checksum-* header (the AWS SDK sends CRC32 with DeleteObjects), where S3 and MinIO
    // accept them.
    props.setProperty("s3proxy.ignore-unknown-headers", "true");
    // S3Proxy's own NIO.2 store: jclouds' older "filesystem" lists directories as objects.
    props.setProperty("jclouds.provider", "filesystem-nio2");
    props.setProperty("jclouds.filesystem.basedir", dir.resolve("data").toString());
    props.setProperty("jclouds.identity", ACCESS_KEY);
    props.setProperty("jclouds.credential", secret);
    TestCertificates.Issued ca = null;
    if (tls) {
      ca = TestCertificates.selfSignedCa("Easel test S3 CA");
      TestCertificates.Issued server =
          TestCertificates.serverCertificate(
              ca, "127.0.0.1", List.of("localhost"), List.of(InetAddress.getLoopbackAddress()));
      String password = UUID.randomUUID().toString();
      Path keystore = dir.resolve("keystore.p12");
      writeKeyStore(keystore, server, ca, password);
      // Port 0: Jetty picks a free port, read back once it listens.
      props.setProperty("s3proxy.secure-endpoint", "https://127.0.0.1:0");
      props.setProperty("s3proxy.keystore-path", keystore.toString());
      props.setProperty("s3proxy.keystore-password", password);
    } else {
      props.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
    }

    URLClassLoader loader;
    try {
      loader =
          new URLClassLoader(
              "s3proxy", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // jclouds and Guice look classes up through the context class loader, and Jetty's threads
    // inherit it from the thread that starts them.
    thread.setContextClassLoader(loader);
    try {
      Object blobStore = blobStore(loader, props);
      Class<?> builderClass = loader.loadClass("org.gaul.s3proxy.S3Proxy$Builder");
      Object builder =
          builderClass.getMethod("fromProperties", Properties.class).invoke(null, props);
      builderClass
          .getMethod("blobStore", loader.loadClass("org.jclouds.blobstore.BlobStore"))
          .invoke(builder, blobStore);
      Object proxy = builderClass.getMethod("build").invoke(builder);
      proxy.getClass().getMethod("start").invoke(proxy);
      String state = (String) proxy.getClass().getMethod("getState").invoke(proxy);
      if (!"STARTED".equals(state)) {
        throw new IllegalStateException("S3Proxy did not start: " + state);
      }
      Method portMethod = proxy.getClass().getMethod(tls ? "getSecurePort" : "getPort");
      int port = (Integer) portMethod.invoke(proxy);
      String endpoint = (tls ? "https" : "http") + "://127.0.0.1:" + port;
      return new RunningS3(proxy, loader, dir, endpoint, secret, ca);
    } catch (InvocationTargetException e) {
      closeQuietly(loader);
      throw new IllegalStateException("S3Proxy did not start from " + jar, e.getCause());
    } catch (ReflectiveOperationException e) {
      closeQuietly(loader);
      throw new IllegalStateException("S3Proxy did not start from " + jar, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The blob store over the data directory, as S3Proxy's {@code Main} would build it. */
  private static Object blobStore(ClassLoader loader, Properties props)
      throws ReflectiveOperationException {
    Class<?> contextBuilder = loader.loadClass("org.jclouds.ContextBuilder");
    Object builder =
        contextBuilder
            .getMethod("newBuilder", String.class)
            .invoke(null, props.getProperty("jclouds.provider"));
    builder = contextBuilder.getMethod("overrides", Properties.class).invoke(builder, props);
    Class<?> contextClass = loader.loadClass("org.jclouds.blobstore.BlobStoreContext");
    Object context = contextBuilder.getMethod("build", Class.class).invoke(builder, contextClass);
    return contextClass.getMethod("getBlobStore").invoke(context);
  }

  private static Path jar() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property == null || property.isBlank()) {
      throw new IllegalStateException(
          "system property "
              + JAR_PROPERTY
              + " is not set: the root pom's surefire configuration names S3Proxy's"
              + " jar-with-dependencies there; set it when running tests outside Maven");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy's jar is not at "
              + jar
              + " ("
              + JAR_PROPERTY
              + "): build libs/testing once online, it downloads the jar");
    }
    return jar;
  }

  private static void writeKeyStore(
      Path file, TestCertificates.Issued server, TestCertificates.Issued ca, String password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "server",
          server.keys().getPrivate(),
          password.toCharArray(),
          new Certificate[] {server.certificate(), ca.certificate()});
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TrustManager[] trustManagers(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("easel-test-s3-ca", ca);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException ignored) {
      // failing to start is what the caller hears about
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // a temp dir left behind is harmless
                }
              });
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
