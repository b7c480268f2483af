package dev.easel.common.identity;

import java.time.Duration;

/**
 * The identity token the gateway sends with every request it forwards, and that services take as
 * the only proof of who asks: {@code Authorization: Bearer <jwt>}, a JWS signed with ES256 (P-256)
 * with a {@code kid} in its header. Services read the gateway's public keys from the JWK Set at
 * {@link #JWKS_URI_PROPERTY}, which the gateway serves at {@link #JWKS_PATH}.
 *
 * <p>Claims: {@code iss} {@link #ISSUER}; {@code aud} [{@link #AUDIENCE}]; {@code sub} the user
 * ({@code admin}, or {@code token:ci-bot} for an API token); {@link #ROLES} the one role granted,
 * by its id ({@code viewer}, {@code operator}, {@code admin}); {@link #REQUEST_ID}; {@code iat};
 * {@code exp}, {@link #LIFETIME} after {@code iat}; {@code jti}.
 */
public final class GatewayIdentity {

  /** The {@code iss} of every identity token. */
  public static final String ISSUER = "easel-gateway";

  /** The one {@code aud} every identity token names. */
  public static final String AUDIENCE = "easel-services";

  /** The JWS algorithm: ECDSA on P-256 with SHA-256. */
  public static final String ALGORITHM = "ES256";

  /** The claim that holds the granted role ids, a JSON array. */
  public static final String ROLES = "roles";

  /** The claim that holds the gateway's request id. */
  public static final String REQUEST_ID = "rid";

  /** How long the gateway makes a token live: a token is minted per forwarded request. */
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  /** How far apart the gateway's clock and a service's may be when a token's times are checked. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Where the gateway serves its public keys. */
  public static final String JWKS_PATH = "/.well-known/jwks.json";

  /** The property that tells a service where the gateway's JWK Set is. */
  public static final String JWKS_URI_PROPERTY = "easel.identity.jwks-uri";

  private GatewayIdentity() {}
}
