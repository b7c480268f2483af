package dev.easel.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.contracts.api.Role;
import dev.easel.testing.TestIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/** The decoder a service checks the gateway's tokens with, against a JWK Set served over HTTP. */
class GatewayTokenDecoderTest {

  private final JwtDecoder decoder =
      new GatewayIdentityAutoConfiguration.BehindTheGateway()
          .easelGatewayJwtDecoder(
              environment(Map.of("easel.identity.jwks-uri", TestIdentity.jwksUri())));

  @Test
  void aTokenOfTheGatewayGivesItsSubjectAndRole() {
    Jwt jwt = decoder.decode(TestIdentity.token("token:ci-bot", Role.OPERATOR));
    assertThat(jwt.getSubject()).isEqualTo("token:ci-bot");
    assertThat(GatewayIdentityAutoConfiguration.authorities(jwt))
        .extracting(Object::toString)
        .containsExactly("ROLE_OPERATOR");
  }

  @Test
  void tokensTheGatewayDidNotSignForTheServicesAreRefused() {
    for (String bearer :
        List.of(
            TestIdentity.bearerSignedByAnotherKey("alice", Role.ADMIN),
            TestIdentity.bearerExpired("alice", Role.ADMIN),
            TestIdentity.bearerForAudience("elsewhere", "alice", Role.ADMIN),
            TestIdentity.bearerWithRoles("alice", List.of()),
            TestIdentity.bearerWithRoles("alice", List.of("superuser")))) {
      assertThatThrownBy(() -> decoder.decode(bearer.substring("Bearer ".length())))
          .isInstanceOf(JwtException.class);
    }
  }

  @Test
  void aServiceWithoutAnHttpAddressOfTheGatewaysKeysIsRefused() {
    for (Map<String, Object> props :
        List.<Map<String, Object>>of(
            Map.of(),
            Map.of("easel.identity.jwks-uri", " "),
            Map.of("easel.identity.jwks-uri", "gateway/jwks.json"),
            Map.of("easel.identity.jwks-uri", "file:///etc/jwks.json"))) {
      assertThatThrownBy(() -> GatewayIdentityAutoConfiguration.jwksUri(environment(props)))
          .isInstanceOf(IdentityNotConfigured.class)
          .hasMessageContaining("easel.identity.jwks-uri");
    }
  }

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return env;
  }
}
