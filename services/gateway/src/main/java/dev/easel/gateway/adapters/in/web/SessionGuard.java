package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.adapters.in.console.ConsolePaths;
import dev.easel.gateway.application.Operators;
import dev.easel.gateway.domain.Operator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs after authentication and before authorisation. It notes who the caller is for the trail,
 * keeps a signed-in session in step with its operator (a role changed, an operator disabled or
 * deleted takes effect within seconds, not at the session's end), and allows a session whose
 * password must be changed nothing but the change.
 */
public class SessionGuard extends OncePerRequestFilter {

  /** The request attribute that names the caller, for the trail. */
  public static final String ACTOR = "easel.actor";

  private static final Duration FRESH = Duration.ofSeconds(5);

  private final Operators operators;
  private final Map<String, Checked> recent = new ConcurrentHashMap<>();

  private record Checked(Optional<Operator> operator, long atNanos) {}

  public SessionGuard(Operators operators) {
    this.operators = operators;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    Optional<Caller> caller = Caller.of(auth);
    if (caller.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(ACTOR, caller.get().subject());
    if (auth instanceof UsernamePasswordAuthenticationToken
        && auth.getPrincipal() instanceof Caller c) {
      Optional<Operator> now = operator(c.subject());
      if (now.isEmpty() || now.get().disabled()) {
        HttpSession session = request.getSession(false);
        if (session != null) {
          session.invalidate();
        }
        SecurityContextHolder.clearContext();
        ProblemWriter.write(
            response,
            HttpStatus.UNAUTHORIZED,
            "unauthenticated",
            "Unauthorized",
            "the session's operator no longer exists or is disabled; sign in again");
        return;
      }
      if (now.get().role() != c.role()
          || now.get().mustChangePassword() != c.mustChangePassword()) {
        Caller updated = new Caller(c.subject(), now.get().role(), now.get().mustChangePassword());
        signIn(request, updated);
        c = updated;
      }
      String uri = request.getRequestURI();
      if (c.mustChangePassword()
          && ConsolePaths.isPage(uri)
          && !ConsolePaths.openBeforePasswordChange(uri)) {
        if (request.getHeader("HX-Request") != null) {
          response.setHeader("HX-Redirect", "/password");
          response.setStatus(HttpStatus.FORBIDDEN.value());
        } else {
          response.sendRedirect("/password");
        }
        return;
      }
      if (c.mustChangePassword()
          && !ConsolePaths.openBeforePasswordChange(uri)
          && !passwordChangeAllowed(request)) {
        ProblemWriter.write(
            response,
            HttpStatus.FORBIDDEN,
            "password-change-required",
            "Password change required",
            "change the password first: PUT /api/v1/session/password");
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private Optional<Operator> operator(String name) {
    long now = System.nanoTime();
    Checked c = recent.get(name);
    if (c == null || now - c.atNanos() > FRESH.toNanos()) {
      c = new Checked(operators.find(name), now);
      if (recent.size() > 10_000) {
        recent.clear();
      }
      recent.put(name, c);
    }
    return c.operator();
  }

  /** Forgets what it knew of an operator, after a change made through this instance. */
  public void forget(String name) {
    recent.remove(name);
  }

  private static boolean passwordChangeAllowed(HttpServletRequest request) {
    String path = request.getRequestURI();
    String method = request.getMethod();
    return path.equals("/api/v1/session")
        || (path.equals("/api/v1/session/password") && method.equals("PUT"));
  }

  /** Puts this caller into the session, as a sign-in or after their operator changed. */
  public static void signIn(HttpServletRequest request, Caller caller) {
    UsernamePasswordAuthenticationToken token =
        UsernamePasswordAuthenticationToken.authenticated(
            caller, null, Caller.authorities(caller.role(), caller.mustChangePassword()));
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(token);
    SecurityContextHolder.setContext(context);
    request
        .getSession(true)
        .setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
  }
}
