package dev.easel.gateway.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.easel.common.identity.GatewayIdentity;
import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.port.SigningKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;

/**
 * The identity the gateway gives each request it forwards: an ES256 JWT that lives a minute. The
 * private key never leaves this instance's memory; its public half is published for every
 * instance's JWK Set. A new key is made every {@code rotateEvery}; an old one stays published for
 * as long as tokens it signed may live.
 */
public class Identities {

  private final SigningKeyStore keys;
  private final Clock clock;
  private final Duration lifetime;
  private final Duration rotateEvery;
  private volatile Signing current;

  private record Signing(ECKey key, ECDSASigner signer, Instant madeAt) {}

  public Identities(SigningKeyStore keys, Clock clock, Duration lifetime, Duration rotateEvery) {
    this.keys = keys;
    this.clock = clock;
    this.lifetime = lifetime;
    this.rotateEvery = rotateEvery;
  }

  /** Makes and publishes a new key; the one in use until now goes on verifying its tokens. */
  @Transactional
  public synchronized void rotate() {
    try {
      ECKey key =
          new ECKeyGenerator(Curve.P_256)
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .keyID(UUID.randomUUID().toString())
              .generate();
      Instant now = clock.instant();
      keys.forgetRetired(now);
      // Published before first use, so no service sees a kid it cannot find.
      keys.publish(
          key.getKeyID(),
          key.toPublicJWK().toJSONString(),
          now,
          now.plus(rotateEvery).plus(lifetime).plus(lifetime));
      current = new Signing(key, new ECDSASigner(key), now);
    } catch (JOSEException e) {
      throw new IllegalStateException("could not make a signing key", e);
    }
  }

  public boolean dueForRotation() {
    Signing s = current;
    return s == null || !clock.instant().isBefore(s.madeAt().plus(rotateEvery));
  }

  /** The signed identity for one forwarded request. */
  public String sign(String subject, Role role, String requestId) {
    Signing s = current;
    if (s == null) {
      throw new IllegalStateException("no signing key yet");
    }
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(GatewayIdentity.ISSUER)
            .audience(GatewayIdentity.AUDIENCE)
            .subject(subject)
            .claim(GatewayIdentity.ROLES, List.of(role.id()))
            .claim(GatewayIdentity.REQUEST_ID, requestId)
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(s.key().getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(s.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("could not sign an identity", e);
    }
    return jwt.serialize();
  }

  /** The JWK Set of every live key of every instance. */
  @Transactional(readOnly = true)
  public String jwkSet() {
    return "{\"keys\":[" + String.join(",", keys.live(clock.instant())) + "]}";
  }
}
