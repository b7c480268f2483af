package dev.easel.common.identity;

import dev.easel.common.envelope.Requester;
import dev.easel.contracts.api.Role;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import tools.jackson.databind.ObjectMapper;

/**
 * Services trust only the gateway: {@code /api/v1/**} is answered only with the gateway's identity
 * token ({@link GatewayIdentity}), and only for the roles {@link dev.easel.contracts.api.ApiRoutes}
 * allows on each route of this service's context ({@code easel.messaging.context}). The gateway
 * checks the same roles first; this is the second check.
 *
 * <ul>
 *   <li>{@code /actuator/health/**} and {@code /v3/api-docs/**} are open; the rest of the actuator
 *       needs the admin role;
 *   <li>{@code /agent/v1/**} is left to the service, which authenticates agents itself;
 *   <li>everything else is refused, with or without a token.
 * </ul>
 *
 * <p>There is no open mode: a service without {@code easel.identity.jwks-uri} does not start. An
 * application that defines its own {@link SecurityFilterChain} (the gateway) keeps it, and this
 * backs off.
 */
@AutoConfiguration(
    before = {
      ServletWebSecurityAutoConfiguration.class,
      ManagementWebSecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      OAuth2ResourceServerAutoConfiguration.class
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class GatewayIdentityAutoConfiguration {

  /** What a request emits without a message as its cause carries its caller as the actor. */
  @Bean
  @ConditionalOnMissingBean
  Requester easelRequester() {
    return () -> {
      Authentication caller = SecurityContextHolder.getContext().getAuthentication();
      if (caller == null
          || !caller.isAuthenticated()
          || caller instanceof AnonymousAuthenticationToken) {
        return Optional.empty();
      }
      return Optional.ofNullable(caller.getName());
    };
  }

  /** The filter chains of a service behind the gateway. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(SecurityFilterChain.class)
  @EnableWebSecurity
  static class BehindTheGateway {

    @Bean
    @ConditionalOnMissingBean
    JwtDecoder easelGatewayJwtDecoder(Environment env) {
      NimbusJwtDecoder decoder =
          NimbusJwtDecoder.withJwkSetUri(jwksUri(env))
              .jwsAlgorithm(SignatureAlgorithm.ES256)
              .build();
      decoder.setJwtValidator(validator());
      return decoder;
    }

    @Bean
    ServiceRoutes easelServiceRoutes(Environment env) {
      return ServiceRoutes.of(context(env));
    }

    @Bean
    IdentityProblems easelIdentityProblems(ServiceRoutes routes, ObjectMapper json) {
      return new IdentityProblems(routes, json);
    }

    /**
     * The agent channel: node-discovery checks each agent's own bearer token (registration token or
     * node credential), so no gateway token is looked for here.
     */
    @Bean
    @Order(1)
    SecurityFilterChain easelAgentChannel(HttpSecurity http) throws Exception {
      stateless(http.securityMatcher("/agent/v1/**"));
      http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
      return http.build();
    }

    /**
     * Nothing under {@code /.well-known}: the resource server would publish its OAuth metadata
     * there (RFC 9728), which describes no client of a service but the gateway, and the gateway
     * knows it.
     */
    @Bean
    @Order(2)
    SecurityFilterChain easelWellKnown(HttpSecurity http, IdentityProblems problems)
        throws Exception {
      stateless(http.securityMatcher("/.well-known/**"));
      http.exceptionHandling(
          e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
      http.authorizeHttpRequests(a -> a.anyRequest().denyAll());
      return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain easelGatewayIdentity(
        HttpSecurity http, JwtDecoder decoder, ServiceRoutes routes, IdentityProblems problems)
        throws Exception {
      JwtAuthenticationConverter identities = new JwtAuthenticationConverter();
      identities.setJwtGrantedAuthoritiesConverter(GatewayIdentityAutoConfiguration::authorities);
      stateless(http);
      http.oauth2ResourceServer(
          o ->
              o.jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(identities))
                  .authenticationEntryPoint(problems)
                  .accessDeniedHandler(problems));
      http.exceptionHandling(
          e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
      http.authorizeHttpRequests(
          a -> {
            // A request was checked when it came in; its async completion (SSE) and its error
            // page are the same request, not new ones.
            a.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll();
            a.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
            a.requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll();
            for (ServiceRoutes.Entry route : routes.entries()) {
              a.requestMatchers(route.matcher()).hasAnyRole(route.grantingRoles());
            }
            a.requestMatchers("/api/v1/**").denyAll();
            a.requestMatchers("/actuator/**").hasRole(Role.ADMIN.name());
            a.anyRequest().denyAll();
          });
      return http.build();
    }

    private static void stateless(HttpSecurity http) throws Exception {
      http.csrf(AbstractHttpConfigurer::disable)
          .formLogin(AbstractHttpConfigurer::disable)
          .httpBasic(AbstractHttpConfigurer::disable)
          .logout(AbstractHttpConfigurer::disable)
          .requestCache(AbstractHttpConfigurer::disable)
          .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
    }
  }

  /**
   * What a token must say besides its signature: the gateway issued it for the services, it has not
   * expired (with {@link GatewayIdentity#CLOCK_SKEW}), and it names its subject and a known role.
   */
  static OAuth2TokenValidator<Jwt> validator() {
    JwtTimestampValidator times = new JwtTimestampValidator(GatewayIdentity.CLOCK_SKEW);
    times.setAllowEmptyExpiryClaim(false);
    return new DelegatingOAuth2TokenValidator<>(
        times,
        new JwtIssuerValidator(GatewayIdentity.ISSUER),
        new JwtAudienceValidator(GatewayIdentity.AUDIENCE),
        new JwtClaimValidator<String>(JwtClaimNames.SUB, s -> s != null && !s.isBlank()),
        new JwtClaimValidator<Object>(
            GatewayIdentity.ROLES, GatewayIdentityAutoConfiguration::knownRoles));
  }

  private static boolean knownRoles(Object claim) {
    return claim instanceof Collection<?> roles
        && !roles.isEmpty()
        && roles.stream().allMatch(r -> r instanceof String id && Role.of(id).isPresent());
  }

  /** The token's roles as {@code ROLE_VIEWER}, {@code ROLE_OPERATOR}, {@code ROLE_ADMIN}. */
  static Collection<GrantedAuthority> authorities(Jwt jwt) {
    List<GrantedAuthority> granted = new ArrayList<>();
    Object claim = jwt.getClaims().get(GatewayIdentity.ROLES);
    if (claim instanceof Collection<?> roles) {
      roles.stream()
          .filter(String.class::isInstance)
          .map(r -> Role.of((String) r))
          .flatMap(Optional::stream)
          .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name()))
          .forEach(granted::add);
    }
    return granted;
  }

  static String jwksUri(Environment env) {
    String uri = env.getProperty(GatewayIdentity.JWKS_URI_PROPERTY, "");
    if (uri.isBlank()) {
      throw new IdentityNotConfigured(
          GatewayIdentity.JWKS_URI_PROPERTY
              + " is not set: this service answers /api/v1 only with the gateway's identity"
              + " tokens, and checks them against the keys the gateway serves at "
              + GatewayIdentity.JWKS_PATH
              + ". Set it to that address (http://<gateway>"
              + GatewayIdentity.JWKS_PATH
              + "); there is no mode without it.");
    }
    URI parsed;
    try {
      parsed = URI.create(uri.trim());
    } catch (IllegalArgumentException e) {
      throw new IdentityNotConfigured(
          GatewayIdentity.JWKS_URI_PROPERTY + " is not a URI: " + uri, e);
    }
    if (!parsed.isAbsolute() || !List.of("http", "https").contains(parsed.getScheme())) {
      throw new IdentityNotConfigured(
          GatewayIdentity.JWKS_URI_PROPERTY + " must be an http or https address, not " + uri);
    }
    return parsed.toString();
  }

  static String context(Environment env) {
    String context = env.getProperty("easel.messaging.context", "");
    if (context.isBlank()) {
      throw new IdentityNotConfigured(
          "set easel.messaging.context: it names the routes of the API this service serves");
    }
    return context;
  }
}
