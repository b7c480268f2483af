package dev.easel.gateway.adapters.in.web;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.application.Operators;
import dev.easel.gateway.domain.Operator;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Signing in through an OIDC provider. The operator's role comes from a claim of the provider's
 * (groups by default) through a mapping; someone the mapping gives no role is refused. A signed-in
 * OIDC operator gets the same session as a password sign-in.
 *
 * <p>The session cookie is {@code SameSite=Strict}, so a browser does not send it on the provider's
 * redirect back. The pending authorization request is therefore kept here by its {@code state},
 * bound to the browser by a short-lived {@code SameSite=Lax} cookie that only the callback path
 * sees: a callback from another browser finds no request and fails.
 */
public class OidcSignIn
    implements AuthorizationRequestRepository<OAuth2AuthorizationRequest>,
        AuthenticationSuccessHandler,
        AuthenticationFailureHandler {

  static final String BROWSER_COOKIE = "EASEL_OIDC";
  private static final long TTL_MILLIS = 10 * 60 * 1000L;

  private final Operators operators;
  private final String usernameClaim;
  private final String rolesClaim;
  private final Map<String, String> roleMapping;
  private final String afterSignIn;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();

  private record Pending(OAuth2AuthorizationRequest request, String browser, long expiresAt) {}

  public OidcSignIn(
      Operators operators,
      String usernameClaim,
      String rolesClaim,
      Map<String, String> roleMapping,
      String afterSignIn) {
    this.operators = operators;
    this.usernameClaim = usernameClaim;
    this.rolesClaim = rolesClaim;
    this.roleMapping = Map.copyOf(roleMapping);
    this.afterSignIn = afterSignIn;
  }

  @Override
  public OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
    String state = request.getParameter(OAuth2ParameterNames.STATE);
    if (state == null) {
      return null;
    }
    Pending p = pending.get(state);
    long now = System.currentTimeMillis();
    if (p == null || p.expiresAt() < now || !p.browser().equals(browser(request))) {
      return null;
    }
    return p.request();
  }

  @Override
  public void saveAuthorizationRequest(
      OAuth2AuthorizationRequest authorizationRequest,
      HttpServletRequest request,
      HttpServletResponse response) {
    long now = System.currentTimeMillis();
    pending.values().removeIf(p -> p.expiresAt() < now);
    if (authorizationRequest == null) {
      return;
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String browser = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    pending.put(
        authorizationRequest.getState(),
        new Pending(authorizationRequest, browser, now + TTL_MILLIS));
    response.addHeader(
        "Set-Cookie",
        ResponseCookie.from(BROWSER_COOKIE, browser)
            .httpOnly(true)
            .secure(request.isSecure())
            .sameSite("Lax")
            .path("/login/oauth2/code")
            .maxAge(TTL_MILLIS / 1000)
            .build()
            .toString());
  }

  @Override
  public OAuth2AuthorizationRequest removeAuthorizationRequest(
      HttpServletRequest request, HttpServletResponse response) {
    OAuth2AuthorizationRequest found = loadAuthorizationRequest(request);
    if (found != null) {
      pending.remove(found.getState());
    }
    return found;
  }

  private static String browser(HttpServletRequest request) {
    if (request.getCookies() == null) {
      return "";
    }
    for (Cookie c : request.getCookies()) {
      if (BROWSER_COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return "";
  }

  @Override
  public void onAuthenticationSuccess(
      HttpServletRequest request, HttpServletResponse response, Authentication authentication)
      throws IOException {
    OAuth2User user = (OAuth2User) authentication.getPrincipal();
    Map<String, Object> claims =
        user instanceof OidcUser oidc ? oidc.getClaims() : user.getAttributes();
    Object name = claims.get(usernameClaim);
    String username = name == null ? user.getName() : name.toString();
    request.setAttribute(SessionGuard.ACTOR, username);
    Optional<Role> role = role(claims.get(rolesClaim));
    if (role.isEmpty()) {
      refuse(
          request,
          response,
          "'"
              + username
              + "' has no Easel role: none of their "
              + rolesClaim
              + " is mapped to one");
      return;
    }
    Operator o;
    try {
      o = operators.signedInThroughOidc(username, role.get());
    } catch (Operators.Conflict e) {
      refuse(request, response, e.getMessage());
      return;
    }
    if (o.disabled()) {
      refuse(request, response, "'" + username + "' is disabled");
      return;
    }
    if (request.getSession(false) != null) {
      request.changeSessionId();
    }
    SessionGuard.signIn(request, new Caller(o.name(), o.role(), false));
    response.sendRedirect(afterSignIn);
  }

  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
      throws IOException {
    refuse(request, response, "the OIDC sign-in failed: " + exception.getMessage());
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
    // Spring Security has put the provider's authentication into the session already: a refused
    // sign-in must leave nothing signed in behind it.
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    SecurityContextHolder.clearContext();
    ProblemWriter.write(
        response, HttpStatus.UNAUTHORIZED, "oidc-sign-in-refused", "Sign-in refused", detail);
  }

  /** The highest role any of the claim's values maps to, or is. */
  Optional<Role> role(Object claim) {
    List<?> values =
        claim instanceof Collection<?> c
            ? List.copyOf(c)
            : claim == null ? List.of() : List.of(claim);
    Role best = null;
    for (Object v : values) {
      String s = String.valueOf(v);
      Optional<Role> r = Role.of(roleMapping.getOrDefault(s, roleMapping.isEmpty() ? s : ""));
      if (r.isPresent() && (best == null || r.get().grants(best))) {
        best = r.get();
      }
    }
    return Optional.ofNullable(best);
  }
}
