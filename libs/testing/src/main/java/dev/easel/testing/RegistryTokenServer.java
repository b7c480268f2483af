package dev.easel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token server of the Docker registry token flow, in the test JVM: it checks Basic credentials
 * and answers with an ES256 JWT granting every scope asked for, which the registry verifies against
 * the signing certificate it was given as {@code rootcertbundle}.
 */
final class RegistryTokenServer implements AutoCloseable {

  static final String SERVICE = "easel-test-registry";
  static final String ISSUER = "easel-test-issuer";
  private static final long EXPIRES_IN_SECONDS = 300;

  private final JsonMapper json = JsonMapper.builder().build();
  private final TestCertificates.Issued signer =
      TestCertificates.selfSignedCa("Easel test registry token signer");
  private final AtomicInteger issued = new AtomicInteger();
  private final String username;
  private final String password;
  private final HttpServer server;

  private RegistryTokenServer(String username, String password) throws IOException {
    this.username = username;
    this.password = password;
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  static RegistryTokenServer start(String username, String password) throws IOException {
    return new RegistryTokenServer(username, password);
  }

  /** The {@code realm} of the registry's Bearer challenge. */
  String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** The certificate the registry trusts tokens from; its chain is itself. */
  String signingCertificatePem() {
    return signer.certificatePem();
  }

  int tokensIssued() {
    return issued.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, Map.of("details", "the token endpoint answers GET"));
        return;
      }
      if (!authenticated(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + ISSUER + "\"");
        respond(exchange, 401, Map.of("details", "invalid username or password"));
        return;
      }
      String service = SERVICE;
      List<Map<String, Object>> access = new ArrayList<>();
      for (String[] param : queryParams(exchange.getRequestURI().getRawQuery())) {
        if (param[0].equals("service")) {
          service = param[1];
        } else if (param[0].equals("scope")) {
          // OAuth allows several scopes in one parameter, separated by spaces.
          for (String scope : param[1].split(" ")) {
            if (!scope.isEmpty()) {
              access.add(grant(scope));
            }
          }
        }
      }
      if (!SERVICE.equals(service)) {
        respond(exchange, 400, Map.of("details", "unknown service " + service));
        return;
      }
      Instant now = Instant.now();
      String token = token(now, access);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("token", token);
      body.put("access_token", token);
      body.put("expires_in", EXPIRES_IN_SECONDS);
      body.put("issued_at", now.toString());
      // Counted before answering, so a client that holds the token also sees the count.
      issued.incrementAndGet();
      respond(exchange, 200, body);
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, Map.of("details", String.valueOf(e.getMessage())));
    } finally {
      exchange.close();
    }
  }

  private boolean authenticated(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    try {
      byte[] given = Base64.getDecoder().decode(authorization.substring(6).trim());
      return MessageDigest.isEqual(expected, given);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * {@code repository:test/repo:pull,push} or {@code registry:catalog:*}. The type ends at the
   * first colon and the actions start after the last, because a repository name may itself hold a
   * colon when it begins with a host and port.
   */
  private static Map<String, Object> grant(String scope) {
    int first = scope.indexOf(':');
    int last = scope.lastIndexOf(':');
    if (first < 0 || last == first) {
      throw new IllegalArgumentException("malformed scope " + scope);
    }
    Map<String, Object> grant = new LinkedHashMap<>();
    grant.put("type", scope.substring(0, first));
    grant.put("name", scope.substring(first + 1, last));
    grant.put("actions", List.of(scope.substring(last + 1).split(",")));
    return grant;
  }

  private String token(Instant now, List<Map<String, Object>> access) {
    try {
      Map<String, Object> header = new LinkedHashMap<>();
      header.put("alg", "ES256");
      header.put("typ", "JWT");
      header.put(
          "x5c", List.of(Base64.getEncoder().encodeToString(signer.certificate().getEncoded())));
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("iss", ISSUER);
      claims.put("sub", username);
      // A string, not a list: distribution 2.8 reads aud into a Go string and rejects an array.
      claims.put("aud", SERVICE);
      claims.put("exp", now.getEpochSecond() + EXPIRES_IN_SECONDS);
      claims.put("nbf", now.getEpochSecond());
      claims.put("iat", now.getEpochSecond());
      claims.put("jti", UUID.randomUUID().toString());
      claims.put("access", access);
      Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          base64Url.encodeToString(json.writeValueAsBytes(header))
              + "."
              + base64Url.encodeToString(json.writeValueAsBytes(claims));
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initSign(signer.keys().getPrivate());
      ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url.encodeToString(rawSignature(ecdsa.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * JWS wants the P-256 signature as R and S, 32 big-endian bytes each (RFC 7518, 3.4); the JDK
   * signs in DER, {@code SEQUENCE { INTEGER r, INTEGER s }}, where each integer is minimal and may
   * carry a leading zero byte.
   */
  static byte[] rawSignature(byte[] der) {
    int offset = 2;
    if ((der[1] & 0x80) != 0) {
      offset += der[1] & 0x7f;
    }
    byte[] raw = new byte[64];
    for (int half = 0; half < 2; half++) {
      if (der[offset] != 0x02) {
        throw new IllegalArgumentException("not a DER ECDSA signature");
      }
      int length = der[offset + 1];
      int start = offset + 2;
      int skip = Math.max(0, length - 32);
      int copied = length - skip;
      System.arraycopy(der, start + skip, raw, half * 32 + 32 - copied, copied);
      offset = start + length;
    }
    return raw;
  }

  private static List<String[]> queryParams(String rawQuery) {
    List<String[]> params = new ArrayList<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(
          new String[] {
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8)
          });
    }
    return params;
  }

  private void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
