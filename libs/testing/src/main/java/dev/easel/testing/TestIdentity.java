package dev.easel.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.easel.contracts.api.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The gateway's side of the identity token, in the test JVM: one EC P-256 key per JVM, its JWK Set
 * served over HTTP on 127.0.0.1, and tokens signed with it as the gateway signs them (ES256, a
 * {@code kid}, issuer {@link #ISSUER}, audience {@link #AUDIENCE}, one role, 60 seconds). A service
 * under test is started with {@code easel.identity.jwks-uri=}{@link #jwksUri()} ({@link
 * #springProperties()}), and every call to its {@code /api/v1} sends {@code Authorization:} {@link
 * #bearer(Role)}.
 *
 * <p>The contract is {@code dev.easel.common.identity.GatewayIdentity}; this library depends on no
 * other, so it repeats the names, and libs/common's tests hold the two alike.
 */
public final class TestIdentity {

  public static final String ISSUER = "easel-gateway";
  public static final String AUDIENCE = "easel-services";
  public static final String ROLES = "roles";
  public static final String REQUEST_ID = "rid";
  public static final String JWKS_PATH = "/.well-known/jwks.json";
  public static final String JWKS_URI_PROPERTY = "easel.identity.jwks-uri";
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  /** The subject of {@link #bearer(Role)}. */
  public static final String SUBJECT = "test-operator";

  private static final Object LOCK = new Object();
  private static volatile Keys keys;

  private TestIdentity() {}

  /** The address of the gateway's JWK Set, for {@code easel.identity.jwks-uri}. */
  public static String jwksUri() {
    return keys().jwksUri;
  }

  /** {@code easel.identity.jwks-uri}, for a service under test. */
  public static Map<String, String> springProperties() {
    return Map.of(JWKS_URI_PROPERTY, jwksUri());
  }

  /** {@code --easel.identity.jwks-uri=...}, for a service started as a process. */
  public static String commandLineArgument() {
    return "--" + JWKS_URI_PROPERTY + "=" + jwksUri();
  }

  /** An {@code Authorization} header value: {@link #SUBJECT} with the role. */
  public static String bearer(Role role) {
    return bearer(SUBJECT, role);
  }

  /** An {@code Authorization} header value: the subject with the role, as the gateway sends it. */
  public static String bearer(String subject, Role role) {
    return "Bearer " + token(subject, role);
  }

  /** A token as the gateway signs it, without the {@code Bearer} prefix. */
  public static String token(String subject, Role role) {
    Instant now = Instant.now();
    return sign(keys().key, claims(subject, List.of(role.id()), AUDIENCE, now, now.plus(LIFETIME)));
  }

  /** A token that is right in every way but its key: another P-256 key the services never saw. */
  public static String bearerSignedByAnotherKey(String subject, Role role) {
    Instant now = Instant.now();
    return "Bearer "
        + sign(newKey(), claims(subject, List.of(role.id()), AUDIENCE, now, now.plus(LIFETIME)));
  }

  /** A token that expired two minutes ago, well past any clock skew allowed. */
  public static String bearerExpired(String subject, Role role) {
    Instant issued = Instant.now().minus(Duration.ofMinutes(3));
    return "Bearer "
        + sign(
            keys().key,
            claims(subject, List.of(role.id()), AUDIENCE, issued, issued.plus(LIFETIME)));
  }

  /** A token from the right key for another audience. */
  public static String bearerForAudience(String audience, String subject, Role role) {
    Instant now = Instant.now();
    return "Bearer "
        + sign(keys().key, claims(subject, List.of(role.id()), audience, now, now.plus(LIFETIME)));
  }

  /** A token from the right key with the given role ids, known or not, or none. */
  public static String bearerWithRoles(String subject, List<String> roleIds) {
    Instant now = Instant.now();
    return "Bearer "
        + sign(keys().key, claims(subject, roleIds, AUDIENCE, now, now.plus(LIFETIME)));
  }

  private static JWTClaimsSet claims(
      String subject, List<String> roles, String audience, Instant issued, Instant expires) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(List.of(audience))
        .subject(subject)
        .claim(ROLES, roles)
        .claim(REQUEST_ID, "test-" + UUID.randomUUID())
        .issueTime(Date.from(issued))
        .expirationTime(Date.from(expires))
        .jwtID(UUID.randomUUID().toString())
        .build();
  }

  private static String sign(ECKey key, JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign a test identity token", e);
    }
    return jwt.serialize();
  }

  private static ECKey newKey() {
    try {
      return new ECKeyGenerator(Curve.P_256)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.ES256)
          .keyID(UUID.randomUUID().toString())
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not make a P-256 key", e);
    }
  }

  private static Keys keys() {
    Keys k = keys;
    if (k == null) {
      synchronized (LOCK) {
        k = keys;
        if (k == null) {
          k = Keys.start();
          keys = k;
        }
      }
    }
    return k;
  }

  /** The JVM's key and the server of its public half, which lives as long as the JVM. */
  private static final class Keys {
    final ECKey key;
    final String jwksUri;

    private Keys(ECKey key, String jwksUri) {
      this.key = key;
      this.jwksUri = jwksUri;
    }

    static Keys start() {
      ECKey key = newKey();
      byte[] jwks = new JWKSet(key.toPublicJWK()).toString(true).getBytes(StandardCharsets.UTF_8);
      try {
        HttpServer server =
            HttpServer.create(
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        server.setExecutor(
            Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "test-identity-jwks");
                  t.setDaemon(true);
                  return t;
                }));
        server.createContext(JWKS_PATH, exchange -> serve(exchange, jwks));
        startAsDaemon(server);
        return new Keys(key, "http://127.0.0.1:" + server.getAddress().getPort() + JWKS_PATH);
      } catch (IOException e) {
        throw new UncheckedIOException("could not serve the test JWK Set", e);
      }
    }

    /**
     * The server's dispatcher thread takes its daemon flag from the thread that starts it; started
     * from a daemon, it never holds a JVM open (a benchmark's, say) after its work is done.
     */
    private static void startAsDaemon(HttpServer server) {
      Thread starter = new Thread(server::start, "test-identity-start");
      starter.setDaemon(true);
      starter.start();
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the test JWK Set server", e);
      }
    }

    private static void serve(HttpExchange exchange, byte[] jwks) throws IOException {
      try (exchange) {
        if (!"GET".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
        exchange.sendResponseHeaders(200, jwks.length);
        exchange.getResponseBody().write(jwks);
      }
    }
  }
}
