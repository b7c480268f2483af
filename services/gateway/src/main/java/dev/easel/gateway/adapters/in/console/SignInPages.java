package dev.easel.gateway.adapters.in.console;

import dev.easel.gateway.adapters.in.web.Caller;
import dev.easel.gateway.adapters.in.web.SessionGuard;
import dev.easel.gateway.application.Operators;
import dev.easel.gateway.application.SignIns;
import dev.easel.gateway.domain.Operator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Signing in and out of the console, and the password change every new operator makes first. The
 * session is the API's own: once signed in here, {@code /api/v1} answers the same browser.
 */
@Controller
class SignInPages {

  private final SignIns signIns;
  private final Operators operators;
  private final SessionGuard guard;

  SignInPages(SignIns signIns, Operators operators, SessionGuard guard) {
    this.signIns = signIns;
    this.operators = operators;
    this.guard = guard;
  }

  @GetMapping("/login")
  String login(Model model) {
    return "console/login";
  }

  @PostMapping("/login")
  String signIn(
      @RequestParam(defaultValue = "") String username,
      @RequestParam(defaultValue = "") String password,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    String name = username.trim();
    request.setAttribute(SessionGuard.ACTOR, name.isEmpty() ? "anonymous" : name);
    SignIns.Outcome outcome = signIns.signIn(name, password, request.getRemoteAddr());
    model.addAttribute("username", name);
    if (outcome instanceof SignIns.Throttled t) {
      long seconds = Math.max(1, (t.retryAfter().toMillis() + 999) / 1000);
      response.setStatus(429);
      response.setHeader("Retry-After", Long.toString(seconds));
      model.addAttribute(
          "error", "Too many failed sign-ins. Try again in " + seconds + " seconds.");
      return "console/login";
    }
    if (!(outcome instanceof SignIns.Accepted a)) {
      response.setStatus(401);
      model.addAttribute("error", "The user name or password is wrong, or the user is disabled.");
      return "console/login";
    }
    Operator o = a.operator();
    if (request.getSession(false) != null) {
      // A new session id at sign-in: an id planted before cannot be ridden afterwards.
      request.changeSessionId();
    }
    SessionGuard.signIn(request, new Caller(o.name(), o.role(), o.mustChangePassword()));
    guard.forget(o.name());
    return o.mustChangePassword() ? "redirect:/password" : "redirect:/";
  }

  @PostMapping("/logout")
  String signOut(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    SecurityContextHolder.clearContext();
    return "redirect:/login?signedOut";
  }

  @GetMapping("/password")
  String passwordForm() {
    return "console/password";
  }

  @PostMapping("/password")
  String changePassword(
      @RequestParam(defaultValue = "") String currentPassword,
      @RequestParam(defaultValue = "") String newPassword,
      @RequestParam(defaultValue = "") String repeatPassword,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Caller caller = Caller.current().orElseThrow();
    if (caller.subject().startsWith("token:")) {
      return "redirect:/";
    }
    if (!newPassword.equals(repeatPassword)) {
      response.setStatus(422);
      model.addAttribute("errors", Map.of("repeatPassword", "does not match the new password"));
      return "console/password";
    }
    Operator o;
    try {
      o = operators.changePassword(caller.subject(), currentPassword, newPassword);
    } catch (Operators.Invalid e) {
      response.setStatus(422);
      model.addAttribute("errors", e.problems());
      return "console/password";
    } catch (Operators.Conflict e) {
      response.setStatus(409);
      model.addAttribute("error", e.getMessage());
      return "console/password";
    }
    request.changeSessionId();
    SessionGuard.signIn(request, new Caller(o.name(), o.role(), false));
    guard.forget(o.name());
    return "redirect:/?passwordChanged";
  }
}
