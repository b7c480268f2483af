package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.application.Operators;
import dev.easel.gateway.application.SignIns;
import dev.easel.gateway.domain.Operator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Signing in and out with a password, and one's own password. */
@RestController
@RequestMapping(path = "/api/v1/session", produces = MediaType.APPLICATION_JSON_VALUE)
class SessionController {

  record SignIn(String username, String password) {}

  record PasswordChange(String currentPassword, String newPassword) {}

  private final SignIns signIns;
  private final Operators operators;
  private final SessionGuard guard;

  SessionController(SignIns signIns, Operators operators, SessionGuard guard) {
    this.signIns = signIns;
    this.operators = operators;
    this.guard = guard;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> signIn(@RequestBody SignIn body, HttpServletRequest request) {
    String name = body == null || body.username() == null ? "" : body.username().trim();
    request.setAttribute(SessionGuard.ACTOR, name.isEmpty() ? "anonymous" : name);
    SignIns.Outcome outcome =
        signIns.signIn(name, body == null ? null : body.password(), request.getRemoteAddr());
    if (outcome instanceof SignIns.Throttled t) {
      long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      ProblemDetail p =
          Problems.problem(
              HttpStatus.TOO_MANY_REQUESTS,
              "sign-in-throttled",
              "Too many failed sign-ins",
              "too many failed sign-ins for this user or from this address; try again in "
                  + seconds
                  + " s");
      p.setProperty("retryAfterSeconds", seconds);
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .header("Retry-After", Long.toString(seconds))
          .body(p);
    }
    if (!(outcome instanceof SignIns.Accepted a)) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .body(
              Problems.problem(
                  HttpStatus.UNAUTHORIZED,
                  "sign-in-refused",
                  "Sign-in refused",
                  "the user name or password is wrong, or the user is disabled"));
    }
    Operator o = a.operator();
    HttpSession old = request.getSession(false);
    if (old != null) {
      // A new session id at sign-in: a fixed id planted before cannot be ridden afterwards.
      request.changeSessionId();
    }
    Caller caller = new Caller(o.name(), o.role(), o.mustChangePassword());
    SessionGuard.signIn(request, caller);
    guard.forget(o.name());
    return ResponseEntity.ok(view(caller, request));
  }

  @GetMapping
  Map<String, Object> current(HttpServletRequest request) {
    return view(Caller.current().orElseThrow(), request);
  }

  @DeleteMapping
  ResponseEntity<Void> signOut(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    SecurityContextHolder.clearContext();
    return ResponseEntity.noContent().build();
  }

  @PutMapping(path = "/password", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> changePassword(@RequestBody PasswordChange body, HttpServletRequest request) {
    Caller caller = Caller.current().orElseThrow();
    if (caller.subject().startsWith("token:")) {
      throw new Operators.Conflict("no-local-password", "an API token has no password");
    }
    Operator o =
        operators.changePassword(
            caller.subject(),
            body == null ? null : body.currentPassword(),
            body == null ? null : body.newPassword());
    Caller updated = new Caller(o.name(), o.role(), false);
    if (request.getSession(false) != null) {
      request.changeSessionId();
      SessionGuard.signIn(request, updated);
    }
    guard.forget(o.name());
    return view(updated, request);
  }

  private static Map<String, Object> view(Caller caller, HttpServletRequest request) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", caller.subject());
    out.put("role", caller.role().id());
    out.put("mustChangePassword", caller.mustChangePassword());
    Object csrf = request.getAttribute(CsrfToken.class.getName());
    if (csrf instanceof CsrfToken t) {
      out.put("csrf", Map.of("headerName", t.getHeaderName(), "token", t.getToken()));
    }
    return out;
  }
}
