package dev.easel.packs.adapters.out.oci;

import dev.easel.packs.application.port.RegistryAccess;
import dev.easel.packs.application.port.RegistryFailure;
import dev.easel.packs.domain.HealthState;
import dev.easel.packs.domain.Registry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@link RegistryAccess} over {@link OciClient}: trust from the registry's CA (on top of the
 * JDK's), the outbound address rules, and failures sorted into health states.
 *
 * <p>Outbound rules: pack-manager never calls a link-local address (169.254.0.0/16, fe80::/10,
 * where cloud metadata services live), a known metadata address, an unspecified or multicast
 * address, and, unless configured to, a loopback address. Every address a name resolves to is
 * checked, when a registry is saved and again at each connection; a redirect and a token realm are
 * checked before they are followed.
 */
public final class OciRegistryAccess implements RegistryAccess {

  /** Cloud metadata services that are not link-local. */
  private static final Set<String> METADATA =
      Set.of("100.100.100.200", "fd00:ec2:0:0:0:0:0:254", "metadata.google.internal");

  private final boolean allowLoopback;
  private final Duration timeout;

  /**
   * @param allowLoopback whether registries on this machine may be used (the devstack's internal
   *     registry listens on loopback)
   */
  public OciRegistryAccess(boolean allowLoopback, Duration timeout) {
    this.allowLoopback = allowLoopback;
    this.timeout = timeout;
  }

  @Override
  public Optional<String> refusal(URI endpoint) {
    String host = endpoint.getHost();
    if (host == null) {
      return Optional.of("no host");
    }
    if (METADATA.contains(host.toLowerCase(java.util.Locale.ROOT))) {
      return Optional.of(host + " is a cloud metadata service");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      // A name that does not resolve is not refused: the registry may be reachable later, and its
      // health says UNREACHABLE until then. It is checked again at every connection.
      return Optional.empty();
    }
    for (InetAddress a : addresses) {
      Optional<String> why = refusal(a);
      if (why.isPresent()) {
        return Optional.of(host + " resolves to " + a.getHostAddress() + ", " + why.get());
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(InetAddress a) {
    String text = a.getHostAddress();
    if (a.isLinkLocalAddress() || (a instanceof Inet6Address && text.startsWith("fe8"))) {
      return Optional.of("a link-local address (where cloud metadata services answer)");
    }
    if (METADATA.contains(text)) {
      return Optional.of("a cloud metadata service");
    }
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return Optional.of("not a host address");
    }
    if (a.isLoopbackAddress() && !allowLoopback) {
      return Optional.of("a loopback address, which is pack-manager's own machine");
    }
    return Optional.empty();
  }

  @Override
  public Connection connect(Registry registry, String password) {
    SSLContext tls = tls(registry);
    OciClient.AddressGuard guard =
        target -> {
          Optional<String> why = refusal(target);
          if (why.isPresent()) {
            throw new RegistryFailure(
                RegistryFailure.Kind.FORBIDDEN_ADDRESS,
                "refused to call " + target + ": " + why.get());
          }
        };
    OciClient client =
        new OciClient(registry.endpoint(), registry.username(), password, tls, timeout, guard);
    return new Connected(registry, client, guard);
  }

  private static SSLContext tls(Registry registry) {
    try {
      if (registry.insecureSkipTlsVerify()) {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, new TrustManager[] {new TrustingEveryone()}, null);
        return c;
      }
      if (registry.caCertificate() == null || registry.caCertificate().isBlank()) {
        return null;
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(
                      registry.caCertificate().getBytes(StandardCharsets.US_ASCII)))) {
        store.setCertificateEntry("registry-ca-" + i++, c);
      }
      // The registry's CA, and the JDK's too: a registry behind a public certificate keeps working.
      TrustManagerFactory own =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      own.init(store);
      TrustManagerFactory jdk =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      jdk.init((KeyStore) null);
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(
          null,
          new TrustManager[] {
            new EitherTrust(
                (X509ExtendedTrustManager) own.getTrustManagers()[0],
                (X509ExtendedTrustManager) jdk.getTrustManagers()[0])
          },
          null);
      return c;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "the registry's CA certificate cannot be used: " + e.getMessage(), e);
    }
  }

  /** Sorts a failure into a health state with a detail a person can act on. */
  static Check classify(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RegistryFailure f) {
        switch (f.kind()) {
          case UNAUTHORIZED:
            return new Check(HealthState.UNAUTHORIZED, f.getMessage());
          case TLS:
            return new Check(HealthState.TLS_ERROR, f.getMessage());
          default:
            return new Check(HealthState.UNREACHABLE, f.getMessage());
        }
      }
      if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
        return new Check(HealthState.TLS_ERROR, "TLS handshake failed: " + message(t));
      }
      if (t instanceof UnknownHostException) {
        return new Check(HealthState.UNREACHABLE, "unknown host: " + message(t));
      }
      if (t instanceof HttpConnectTimeoutException) {
        return new Check(HealthState.UNREACHABLE, "connection timed out");
      }
      if (t instanceof HttpTimeoutException) {
        return new Check(HealthState.UNREACHABLE, "no answer in time");
      }
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return new Check(HealthState.UNREACHABLE, "connection refused or no route: " + message(t));
      }
    }
    return new Check(HealthState.UNREACHABLE, message(e));
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Rethrows a transport failure as a {@link RegistryFailure} of the right kind. */
  static RegistryFailure failure(IOException e) {
    if (e instanceof RegistryFailure f) {
      return f;
    }
    Check c = classify(e);
    RegistryFailure.Kind kind =
        c.state() == HealthState.TLS_ERROR
            ? RegistryFailure.Kind.TLS
            : RegistryFailure.Kind.UNREACHABLE;
    return new RegistryFailure(kind, c.detail(), e);
  }

  private static final class Connected implements Connection {
    private final Registry registry;
    private final OciClient client;
    private final OciClient.AddressGuard guard;

    Connected(Registry registry, OciClient client, OciClient.AddressGuard guard) {
      this.registry = registry;
      this.client = client;
      this.guard = guard;
    }

    private void guard() throws RegistryFailure {
      guard.check(registry.endpoint());
    }

    @Override
    public Check check() {
      try {
        guard();
        OciClient.Ping p = client.ping();
        if (p.status() == 200) {
          return new Check(HealthState.HEALTHY, "GET /v2/ answered 200");
        }
        if (p.status() == 401 || p.status() == 403) {
          return new Check(
              HealthState.UNAUTHORIZED,
              registry.username() == null
                  ? "the registry asks for credentials and none are set"
                  : "the registry refused the credentials of " + registry.username());
        }
        return new Check(
            HealthState.UNREACHABLE, "not an OCI registry: GET /v2/ answered " + p.status());
      } catch (IOException | RuntimeException e) {
        return classify(e);
      }
    }

    @Override
    public List<String> catalog() throws IOException {
      guard();
      try {
        return client.catalog(1000);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public List<String> tags(String repository) throws IOException {
      try {
        return client.tags(repository, 1000);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public Optional<String> manifestDigest(String repository, String reference) throws IOException {
      try {
        return client.manifestDigest(repository, reference);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public Optional<Manifest> manifest(String repository, String reference) throws IOException {
      try {
        return client
            .getManifest(repository, reference)
            .map(m -> new Manifest(m.digest(), m.mediaType(), m.content()));
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public InputStream blob(String repository, String digest) throws IOException {
      try {
        return client.openBlob(repository, digest);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public boolean hasBlob(String repository, String digest) throws IOException {
      try {
        return client.hasBlob(repository, digest);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public boolean mount(String repository, String digest, String from) throws IOException {
      try {
        return client.mount(repository, digest, from);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public void pushBlob(String repository, String digest, Path file) throws IOException {
      guard();
      try {
        client.pushBlob(repository, digest, file);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public void pushBlob(String repository, String digest, byte[] content) throws IOException {
      try {
        client.pushBlob(repository, digest, content);
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public String putManifest(String repository, String reference, String mediaType, byte[] content)
        throws IOException {
      try {
        return client.putManifest(repository, reference, mediaType, content);
      } catch (IOException e) {
        throw failure(e);
      }
    }
  }

  /** Trusts what either trust manager trusts: the registry's CA, or the JDK's roots. */
  private static final class EitherTrust extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager first;
    private final X509ExtendedTrustManager second;

    EitherTrust(X509ExtendedTrustManager first, X509ExtendedTrustManager second) {
      this.first = first;
      this.second = second;
    }

    private interface Check {
      void run(X509ExtendedTrustManager m) throws java.security.cert.CertificateException;
    }

    private void either(Check c) throws java.security.cert.CertificateException {
      try {
        c.run(first);
      } catch (java.security.cert.CertificateException e) {
        try {
          c.run(second);
        } catch (java.security.cert.CertificateException ignored) {
          throw e;
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      either(m -> m.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      either(m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      either(m -> m.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return first.getAcceptedIssuers();
    }
  }

  /**
   * Trusts any certificate and any name: what {@code insecureSkipTlsVerify} asks for. The name
   * check of the JDK's HTTP client is done by its trust manager, so this one skips both.
   */
  private static final class TrustingEveryone extends X509ExtendedTrustManager
      implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket s) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket s)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      throw new java.security.cert.CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
