package dev.easel.gateway.adapters.in.console;

import dev.easel.contracts.api.Role;
import dev.easel.gateway.adapters.in.web.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every console page knows: who is signed in and what their role lets them do (a page shows
 * only the controls its user may use), where the page is, and the CSRF header htmx sends.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ModelAttribute
  void common(HttpServletRequest request, Model model) {
    Caller me = Caller.current().orElse(null);
    model.addAttribute("me", me);
    model.addAttribute("canOperate", me != null && me.role().grants(Role.OPERATOR));
    model.addAttribute("isAdmin", me != null && me.role().grants(Role.ADMIN));
    model.addAttribute("path", request.getRequestURI());
    Object csrf = request.getAttribute(CsrfToken.class.getName());
    if (csrf instanceof CsrfToken t) {
      model.addAttribute(
          "csrfHeaders", JSON.writeValueAsString(Map.of(t.getHeaderName(), t.getToken())));
    }
  }
}
