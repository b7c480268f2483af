package dev.easel.packs.adapters.out.oci;

import dev.easel.packs.application.port.RegistryFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A client of the OCI distribution API (v1.1): what pack-manager needs to push, find and read
 * artifacts, on the JDK's HTTP client. Every blob travels as a stream, from a file or to the
 * caller, and its digest is computed as it passes; nothing of a blob is held in memory.
 *
 * <p>Authentication follows the registry's challenge: {@code Basic} with the registry's
 * credentials, or {@code Bearer} with a token fetched from the challenge's realm (the token flow of
 * Docker's distribution and Zot), cached per scope until it expires.
 *
 * <p>Why not the ORAS Java SDK: 0.7.0 leaks a temporary copy per layer in {@code pushArtifact},
 * sends every blob twice, and corrupts binary data read as {@code byte[]}
 * (docs/adr/0007-own-oci-client.md).
 */
public final class OciClient {

  /** Blobs above this are uploaded in chunks, so a failed part is resent, not the whole blob. */
  static final long CHUNK = 16L << 20;

  private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final URI base;
  private final String username;
  private final String password;
  private final HttpClient http;
  private final Duration timeout;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final AddressGuard guard;

  /** Checks every address the client is sent to, by a redirect or a token realm. */
  public interface AddressGuard {
    /**
     * @throws RegistryFailure of kind FORBIDDEN_ADDRESS when the address must not be called
     */
    void check(URI target) throws RegistryFailure;
  }

  private record Token(String value, Instant expires) {}

  /**
   * @param base the registry's root, such as {@code https://registry.example:5000}
   * @param tls the trust to use, or null for the JDK's
   */
  public OciClient(
      URI base,
      String username,
      String password,
      SSLContext tls,
      Duration timeout,
      AddressGuard guard) {
    this.base = base;
    this.guard = guard;
    this.username = username;
    this.password = password;
    this.timeout = timeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  /** The answer to {@code GET /v2/}, with authentication done as the registry asks. */
  public Ping ping() throws IOException {
    HttpResponse<String> r = send(get("/v2/"), "registry:catalog:*", ofString());
    return new Ping(r.statusCode(), r.headers().firstValue("WWW-Authenticate").orElse(null));
  }

  /**
   * @param challenge what the registry asked for when it refused, or null
   */
  public record Ping(int status, String challenge) {}

  // ---- blobs --------------------------------------------------------------------------------

  /** Whether the repository has the blob. */
  public boolean hasBlob(String repo, String digest) throws IOException {
    HttpResponse<Void> r =
        send(
            request("/v2/" + repo + "/blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            pull(repo),
            HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 200;
  }

  /**
   * Asks the registry to mount a blob another repository has, without sending it.
   *
   * @return true when mounted; false when the registry would rather have it uploaded
   */
  public boolean mount(String repo, String digest, String from) throws IOException {
    HttpResponse<Void> r =
        send(
            request("/v2/" + repo + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(from))
                .POST(HttpRequest.BodyPublishers.noBody()),
            "repository:" + repo + ":pull,push repository:" + from + ":pull",
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() == 201) {
      return true;
    }
    if (r.statusCode() == 202) {
      // The registry opened an upload session instead; it expires unused.
      return false;
    }
    throw unexpected("mount " + digest + " into " + repo, r.statusCode(), null);
  }

  /**
   * Uploads a blob from a file: in one request when small, in chunks when large. The registry
   * checks the digest when the upload is closed.
   */
  public void pushBlob(String repo, String digest, Path file) throws IOException {
    long size = Files.size(file);
    URI location = startUpload(repo);
    if (size <= CHUNK) {
      closeUpload(repo, location, digest, HttpRequest.BodyPublishers.ofFile(file), size);
      return;
    }
    long offset = 0;
    while (offset < size) {
      long length = Math.min(CHUNK, size - offset);
      long from = offset;
      HttpResponse<Void> r =
          send(
              HttpRequest.newBuilder(location)
                  .timeout(timeout)
                  .header("Content-Type", "application/octet-stream")
                  .header("Content-Range", from + "-" + (from + length - 1))
                  .method(
                      "PATCH",
                      HttpRequest.BodyPublishers.fromPublisher(
                          HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, from, length)),
                          length)),
              push(repo),
              HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 202) {
        throw unexpected("upload part of " + digest, r.statusCode(), null);
      }
      location = location(r.headers(), location);
      offset += length;
    }
    closeUpload(repo, location, digest, HttpRequest.BodyPublishers.noBody(), 0);
  }

  /** Uploads a small blob held in memory: a manifest's config, say. */
  public void pushBlob(String repo, String digest, byte[] content) throws IOException {
    URI location = startUpload(repo);
    closeUpload(
        repo, location, digest, HttpRequest.BodyPublishers.ofByteArray(content), content.length);
  }

  private URI startUpload(String repo) throws IOException {
    HttpResponse<Void> r =
        send(
            request("/v2/" + repo + "/blobs/uploads/").POST(HttpRequest.BodyPublishers.noBody()),
            push(repo),
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 202) {
      throw unexpected("start an upload to " + repo, r.statusCode(), null);
    }
    return location(r.headers(), null);
  }

  private void closeUpload(
      String repo, URI location, String digest, HttpRequest.BodyPublisher body, long length)
      throws IOException {
    String sep = location.getQuery() == null ? "?" : "&";
    URI put = URI.create(location + sep + "digest=" + enc(digest));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(put)
            .timeout(timeout)
            .header("Content-Type", "application/octet-stream")
            .PUT(body);
    HttpResponse<String> r = send(b, push(repo), ofString());
    if (r.statusCode() != 201) {
      throw unexpected("finish the upload of " + digest, r.statusCode(), r.body());
    }
  }

  /**
   * Opens a blob for reading. The stream checks the digest as it is read and fails at its end when
   * the content does not match.
   */
  public InputStream openBlob(String repo, String digest) throws IOException {
    HttpResponse<InputStream> r =
        send(
            get("/v2/" + repo + "/blobs/" + digest),
            pull(repo),
            HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) {
      r.body().close();
      throw unexpected("read blob " + digest + " of " + repo, r.statusCode(), null);
    }
    return new VerifyingStream(r.body(), digest);
  }

  // ---- manifests ------------------------------------------------------------------------------

  /** Stores a manifest under a tag; answers the digest the registry gives it. */
  public String putManifest(String repo, String tag, String mediaType, byte[] manifest)
      throws IOException {
    HttpResponse<String> r =
        send(
            request("/v2/" + repo + "/manifests/" + tag)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)),
            push(repo),
            ofString());
    if (r.statusCode() != 201) {
      throw unexpected("store manifest " + repo + ":" + tag, r.statusCode(), r.body());
    }
    return r.headers().firstValue("Docker-Content-Digest").orElse(digestOf(manifest));
  }

  /** A manifest and its digest, or empty when the registry has none under that reference. */
  public Optional<Manifest> getManifest(String repo, String reference) throws IOException {
    HttpResponse<byte[]> r =
        send(
            get("/v2/" + repo + "/manifests/" + reference)
                .header(
                    "Accept",
                    "application/vnd.oci.image.manifest.v1+json,"
                        + " application/vnd.docker.distribution.manifest.v2+json"),
            pull(repo),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw unexpected("read manifest " + repo + ":" + reference, r.statusCode(), null);
    }
    if (r.body().length > 4 << 20) {
      throw new IOException("manifest " + repo + ":" + reference + " is over 4 MiB");
    }
    String digest = digestOf(r.body());
    return Optional.of(
        new Manifest(digest, r.headers().firstValue("Content-Type").orElse(""), r.body()));
  }

  /** The digest a tag points at, without fetching its manifest. */
  public Optional<String> manifestDigest(String repo, String reference) throws IOException {
    HttpResponse<Void> r =
        send(
            request("/v2/" + repo + "/manifests/" + reference)
                .header(
                    "Accept",
                    "application/vnd.oci.image.manifest.v1+json,"
                        + " application/vnd.docker.distribution.manifest.v2+json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()),
            pull(repo),
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw unexpected("look up " + repo + ":" + reference, r.statusCode(), null);
    }
    return r.headers().firstValue("Docker-Content-Digest");
  }

  public record Manifest(String digest, String mediaType, byte[] content) {}

  // ---- listing --------------------------------------------------------------------------------

  /** Every repository, following the registry's pages. */
  public List<String> catalog(int pageSize) throws IOException {
    return paged("/v2/_catalog?n=" + pageSize, "registry:catalog:*", "repositories");
  }

  /** Every tag of a repository, following the registry's pages; empty when it has none. */
  public List<String> tags(String repo, int pageSize) throws IOException {
    return paged("/v2/" + repo + "/tags/list?n=" + pageSize, pull(repo), "tags");
  }

  private List<String> paged(String first, String scope, String field) throws IOException {
    List<String> out = new ArrayList<>();
    String next = first;
    int pages = 0;
    while (next != null) {
      if (++pages > 100_000) {
        throw new IOException("more than 100,000 pages from " + first);
      }
      HttpResponse<String> r = send(get(next), scope, ofString());
      if (r.statusCode() == 404) {
        return out;
      }
      if (r.statusCode() != 200) {
        throw unexpected("list " + first, r.statusCode(), r.body());
      }
      out.addAll(Json.stringList(r.body(), field));
      next = nextPage(r.headers());
    }
    return out;
  }

  private String nextPage(HttpHeaders headers) {
    for (String link : headers.allValues("Link")) {
      Matcher m = LINK_NEXT.matcher(link);
      if (m.find()) {
        URI u = URI.create(m.group(1));
        return u.isAbsolute()
            ? u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery())
            : m.group(1);
      }
    }
    return null;
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
  }

  private HttpRequest.Builder get(String path) {
    return request(path).GET();
  }

  private static String pull(String repo) {
    return "repository:" + repo + ":pull";
  }

  private static String push(String repo) {
    return "repository:" + repo + ":pull,push";
  }

  /**
   * Sends a request, answering the registry's challenge once: Basic with the credentials, or a
   * Bearer token for the scope from the challenge's realm.
   */
  private <T> HttpResponse<T> send(
      HttpRequest.Builder builder, String scope, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    Token cached = tokens.get(scope);
    if (cached != null && cached.expires().isAfter(Instant.now())) {
      builder.setHeader("Authorization", "Bearer " + cached.value());
    } else if (username != null && basicPreferred) {
      builder.setHeader("Authorization", basic());
    }
    HttpRequest request = builder.build();
    HttpResponse<T> r = exchange(request, handler);
    if (r.statusCode() != 401) {
      return r;
    }
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    boolean bearer = challenge.regionMatches(true, 0, "Bearer", 0, 6);
    if (!bearer && username == null) {
      return r; // nothing to answer the challenge with: the caller sees the 401
    }
    close(r);
    HttpRequest.Builder again =
        HttpRequest.newBuilder(request, (k, v) -> !k.equalsIgnoreCase("Authorization"));
    if (bearer) {
      again.header("Authorization", "Bearer " + token(challenge, scope));
    } else {
      basicPreferred = true; // from now on sent up front, saving a round trip per request
      again.header("Authorization", basic());
    }
    return exchange(again.build(), handler);
  }

  private volatile boolean basicPreferred;

  private String token(String challenge, String scope) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new IOException("the registry asked for a Bearer token but named no realm");
    }
    guard.check(URI.create(realm));
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) {
      q.append("service=").append(enc(params.get("service")));
    }
    String wanted = params.getOrDefault("scope", scope);
    for (String s : wanted.split(" ")) {
      if (!s.isBlank()) {
        q.append("&scope=").append(enc(s));
      }
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.toString())).timeout(timeout).GET();
    if (username != null) {
      b.header("Authorization", basic());
    }
    HttpResponse<String> r = exchange(b.build(), ofString());
    if (r.statusCode() != 200) {
      throw new RegistryFailure(
          r.statusCode() == 401 || r.statusCode() == 403
              ? RegistryFailure.Kind.UNAUTHORIZED
              : RegistryFailure.Kind.PROTOCOL,
          "the token service at " + realm + " answered " + r.statusCode());
    }
    Json.Token t = Json.token(r.body());
    Instant expires = Instant.now().plusSeconds(Math.max(30, t.expiresIn() - 10));
    tokens.put(scope, new Token(t.value(), expires));
    return t.value();
  }

  private String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(
                (username + ":" + (password == null ? "" : password))
                    .getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Sends one request. A redirect (registries send blob reads to their storage) is followed for
   * reads only, at most five times, and each target is checked by the guard first; the registry's
   * credentials never travel to another host.
   */
  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    HttpRequest current = request;
    for (int hop = 0; ; hop++) {
      HttpResponse<T> r;
      try {
        r = http.send(current, handler);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      int status = r.statusCode();
      boolean redirect =
          status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      String method = current.method();
      if (!redirect || !(method.equals("GET") || method.equals("HEAD"))) {
        return r;
      }
      if (hop >= 5) {
        close(r);
        throw new RegistryFailure(
            RegistryFailure.Kind.PROTOCOL, "more than five redirects from " + request.uri());
      }
      Optional<String> location = r.headers().firstValue("Location");
      close(r);
      if (location.isEmpty()) {
        throw new RegistryFailure(
            RegistryFailure.Kind.PROTOCOL, "a redirect without a Location from " + current.uri());
      }
      URI target = current.uri().resolve(location.get());
      guard.check(target);
      boolean sameOrigin =
          target.getHost().equalsIgnoreCase(base.getHost())
              && target.getPort() == base.getPort()
              && target.getScheme().equalsIgnoreCase(base.getScheme());
      HttpRequest.Builder next =
          HttpRequest.newBuilder(
                  current, (k, v) -> sameOrigin || !k.equalsIgnoreCase("Authorization"))
              .uri(target);
      current = next.build();
    }
  }

  private static void close(HttpResponse<?> r) {
    if (r.body() instanceof InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // nothing to keep
      }
    }
  }

  private URI location(HttpHeaders headers, URI fallback) throws IOException {
    Optional<String> loc = headers.firstValue("Location");
    if (loc.isEmpty()) {
      if (fallback != null) {
        return fallback;
      }
      throw new IOException("the registry opened an upload without a Location");
    }
    return base.resolve(loc.get());
  }

  private static InputStream slice(Path file, long from, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(from);
      return new java.io.FilterInputStream(in) {
        private long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buf, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static RegistryFailure unexpected(String what, int status, String body) {
    RegistryFailure.Kind kind =
        status == 401 || status == 403
            ? RegistryFailure.Kind.UNAUTHORIZED
            : status == 404 ? RegistryFailure.Kind.NOT_FOUND : RegistryFailure.Kind.PROTOCOL;
    String detail =
        body == null || body.isBlank()
            ? ""
            : ": " + body.substring(0, Math.min(300, body.length()));
    return new RegistryFailure(
        kind, "could not " + what + ": the registry answered " + status + detail);
  }

  /** The sha256 digest of bytes, as {@code sha256:<hex>}. */
  public static String digestOf(byte[] content) {
    return "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A blob being read, whose digest is checked when its end is reached. */
  static final class VerifyingStream extends DigestInputStream {
    private final String expected;
    private boolean checked;

    VerifyingStream(InputStream in, String expected) {
      super(in, sha256());
      this.expected = expected;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        check();
      }
      return n;
    }

    private void check() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      String actual = "sha256:" + HexFormat.of().formatHex(getMessageDigest().digest());
      if (!actual.equals(expected)) {
        throw new IOException("blob content is " + actual + ", not " + expected);
      }
    }
  }
}
