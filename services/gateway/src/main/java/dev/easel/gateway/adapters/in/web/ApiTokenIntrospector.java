package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.application.Tokens;
import dev.easel.gateway.domain.ApiToken;
import java.util.Map;
import org.springframework.security.oauth2.core.DefaultOAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * API tokens as Spring Security's opaque bearer tokens: the resource server's filter reads the
 * {@code Authorization} header, and this says whose token it is.
 */
@Component
class ApiTokenIntrospector implements OpaqueTokenIntrospector {

  private final Tokens tokens;

  ApiTokenIntrospector(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public OAuth2AuthenticatedPrincipal introspect(String token) {
    ApiToken t =
        tokens
            .authenticate(token)
            .orElseThrow(
                () -> new BadOpaqueTokenException("the token is unknown, expired or revoked"));
    return new DefaultOAuth2AuthenticatedPrincipal(
        t.subject(),
        Map.of("sub", t.subject(), "token_id", t.id().toString(), "role", t.role().id()),
        Caller.authorities(t.role(), false));
  }
}
