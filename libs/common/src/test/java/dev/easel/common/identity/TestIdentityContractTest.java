package dev.easel.common.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.testing.TestIdentity;
import org.junit.jupiter.api.Test;

/**
 * The tokens tests sign are the tokens the gateway signs: libs/testing depends on no other library,
 * so it repeats the contract's names, and this holds the two alike.
 */
class TestIdentityContractTest {

  @Test
  void theTestIdentityNamesWhatTheGatewayIdentityContractNames() {
    assertThat(TestIdentity.ISSUER).isEqualTo(GatewayIdentity.ISSUER);
    assertThat(TestIdentity.AUDIENCE).isEqualTo(GatewayIdentity.AUDIENCE);
    assertThat(TestIdentity.ROLES).isEqualTo(GatewayIdentity.ROLES);
    assertThat(TestIdentity.REQUEST_ID).isEqualTo(GatewayIdentity.REQUEST_ID);
    assertThat(TestIdentity.JWKS_PATH).isEqualTo(GatewayIdentity.JWKS_PATH);
    assertThat(TestIdentity.JWKS_URI_PROPERTY).isEqualTo(GatewayIdentity.JWKS_URI_PROPERTY);
    assertThat(TestIdentity.LIFETIME).isEqualTo(GatewayIdentity.LIFETIME);
  }
}
