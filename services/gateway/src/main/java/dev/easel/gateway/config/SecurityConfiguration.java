package dev.easel.gateway.config;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.contracts.api.Role;
import dev.easel.gateway.adapters.in.console.ConsolePaths;
import dev.easel.gateway.adapters.in.web.OidcSignIn;
import dev.easel.gateway.adapters.in.web.ProblemWriter;
import dev.easel.gateway.adapters.in.web.RequestTrail;
import dev.easel.gateway.adapters.in.web.SessionGuard;
import dev.easel.gateway.application.Operators;
import dev.easel.gateway.application.Trail;
import dev.easel.gateway.domain.RouteTable;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may do what. Operators sign in for a browser session (HttpOnly, SameSite=Strict, CSRF token
 * required for changes) or send an API token as a bearer token. Every route of {@link ApiRoutes}
 * needs its role; everything else under {@code /api} is refused.
 */
@Configuration
@EnableConfigurationProperties(SecurityConfiguration.Oidc.class)
class SecurityConfiguration {

  /**
   * {@code easel.gateway.oidc}: which claims name the operator and their groups, and which role
   * each group gives. With no mapping, a group named like a role gives that role.
   */
  @ConfigurationProperties("easel.gateway.oidc")
  record Oidc(String usernameClaim, String rolesClaim, Map<String, String> roleMapping) {}

  @Bean
  OidcSignIn oidcSignIn(Operators operators, Oidc oidc) {
    return new OidcSignIn(
        operators,
        oidc.usernameClaim() == null ? "preferred_username" : oidc.usernameClaim(),
        oidc.rolesClaim() == null ? "groups" : oidc.rolesClaim(),
        oidc.roleMapping() == null ? Map.of() : oidc.roleMapping(),
        "/api/v1/session");
  }

  /**
   * An agent's bearer token is its registration token or node credential, for node-discovery to
   * check: the gateway passes {@code /agent/v1} through and must not read it as an API token.
   */
  private static BearerTokenResolver notForAgents() {
    DefaultBearerTokenResolver api = new DefaultBearerTokenResolver();
    return request ->
        request.getRequestURI().startsWith("/agent/v1/") ? null : api.resolve(request);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    // argon2 for new hashes; bcrypt and the others stay readable by their {id} prefix.
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  RouteTable routeTable() {
    return new RouteTable(ApiRoutes.all());
  }

  @Bean
  SessionGuard sessionGuard(Operators operators) {
    return new SessionGuard(operators);
  }

  @Bean
  FilterRegistrationBean<SessionGuard> sessionGuardOnlyInTheChain(SessionGuard guard) {
    FilterRegistrationBean<SessionGuard> b = new FilterRegistrationBean<>(guard);
    b.setEnabled(false);
    return b;
  }

  @Bean
  FilterRegistrationBean<RequestTrail> requestTrail(Trail trail, RouteTable routes) {
    FilterRegistrationBean<RequestTrail> b =
        new FilterRegistrationBean<>(new RequestTrail(trail, routes));
    // Outside Spring Security's chain, so it sees the 401s and 403s the chain answers.
    b.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return b;
  }

  @Bean
  SecurityFilterChain gatewaySecurity(
      HttpSecurity http,
      OpaqueTokenIntrospector tokens,
      SessionGuard guard,
      ObjectProvider<ClientRegistrationRepository> oidcClients,
      ObjectProvider<OidcSignIn> oidc)
      throws Exception {
    PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
    RequestMatcher bearer =
        request -> {
          String h = request.getHeader("Authorization");
          return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7);
        };
    // CSRF protects what a session may do; a request with no valid session can do nothing a
    // forger could want, and is answered 401 rather than a misleading 403.
    RequestMatcher sessionless = request -> !request.isRequestedSessionIdValid();
    AuthenticationEntryPoint unauthenticated =
        (req, res, e) -> {
          if (ConsolePaths.isPage(req.getRequestURI())) {
            // A browser on a console page goes to the sign-in form; htmx is told to go there.
            if (req.getHeader("HX-Request") != null) {
              res.setHeader("HX-Redirect", "/login");
              res.setStatus(HttpStatus.UNAUTHORIZED.value());
            } else {
              res.sendRedirect("/login");
            }
            return;
          }
          res.setHeader("WWW-Authenticate", "Bearer");
          ProblemWriter.write(
              res,
              HttpStatus.UNAUTHORIZED,
              "unauthenticated",
              "Unauthorized",
              "sign in, or send a valid API token as a bearer token");
        };
    http.csrf(
            c ->
                c.ignoringRequestMatchers(
                    bearer,
                    sessionless,
                    path.matcher(HttpMethod.POST, "/api/v1/session"),
                    path.matcher("/agent/v1/**")))
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .oauth2ResourceServer(
            o ->
                o.bearerTokenResolver(notForAgents())
                    .opaqueToken(t -> t.introspector(tokens))
                    .authenticationEntryPoint(unauthenticated))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(unauthenticated)
                    .accessDeniedHandler(
                        (req, res, ex) ->
                            ProblemWriter.write(
                                res,
                                HttpStatus.FORBIDDEN,
                                "forbidden",
                                "Forbidden",
                                "your role may not "
                                    + req.getMethod()
                                    + " "
                                    + req.getRequestURI()
                                    + ", or the CSRF token is missing")))
        .addFilterBefore(guard, AuthorizationFilter.class);
    if (oidcClients.getIfAvailable() != null) {
      // Only when a provider is configured (spring.security.oauth2.client.*).
      OidcSignIn signIn = oidc.getObject();
      http.oauth2Login(
          o ->
              o.authorizationEndpoint(a -> a.authorizationRequestRepository(signIn))
                  .successHandler(signIn)
                  .failureHandler(signIn));
    }
    http.authorizeHttpRequests(
        a -> {
          a.requestMatchers(path.matcher(HttpMethod.POST, "/api/v1/session")).permitAll();
          for (ApiRoute r : ApiRoutes.all()) {
            a.requestMatchers(path.matcher(HttpMethod.valueOf(r.method()), r.pattern()))
                .hasRole(r.role().name());
          }
          a.requestMatchers(path.matcher("/api/**")).denyAll();
          a.requestMatchers(
                  path.matcher("/agent/v1/**"),
                  path.matcher(HttpMethod.GET, "/.well-known/jwks.json"),
                  path.matcher(HttpMethod.GET, "/actuator/health"),
                  path.matcher(HttpMethod.GET, "/actuator/health/**"),
                  path.matcher(HttpMethod.GET, "/v3/api-docs"),
                  path.matcher(HttpMethod.GET, "/v3/api-docs/**"),
                  path.matcher(HttpMethod.GET, "/docs"),
                  path.matcher(HttpMethod.GET, "/docs/**"),
                  path.matcher(HttpMethod.GET, "/swagger-ui/**"),
                  path.matcher("/error"))
              .permitAll();
          a.requestMatchers(path.matcher("/actuator/**")).hasRole(Role.ADMIN.name());
          // The console: its sign-in form and assets for anyone, its pages for any operator.
          // What a page may change, the API it calls decides by the route table above.
          a.requestMatchers(
                  path.matcher(HttpMethod.GET, "/login"),
                  path.matcher(HttpMethod.POST, "/login"),
                  path.matcher(HttpMethod.GET, "/webjars/**"),
                  path.matcher(HttpMethod.GET, "/assets/**"))
              .permitAll();
          for (String page : ConsolePaths.PAGES) {
            a.requestMatchers(path.matcher(page)).authenticated();
          }
          a.anyRequest().denyAll();
        });
    return http.build();
  }
}
