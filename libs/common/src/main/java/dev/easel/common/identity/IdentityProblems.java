package dev.easel.common.identity;

import dev.easel.common.web.ProblemResponses;
import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.Role;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.ObjectMapper;

/**
 * A refused identity, or a role that does not reach, answered as the RFC 9457 problems every
 * service answers with ({@code unauthorized}, {@code forbidden}). Spring Security's bearer handlers
 * set the status and the {@code WWW-Authenticate: Bearer} challenge (RFC 6750); this adds the body.
 */
final class IdentityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

  private final AuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
  private final AccessDeniedHandler insufficient = new BearerTokenAccessDeniedHandler();
  private final ServiceRoutes routes;
  private final ObjectMapper json;

  IdentityProblems(ServiceRoutes routes, ObjectMapper json) {
    this.routes = routes;
    this.json = json;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException, ServletException {
    challenge.commence(request, response, e);
    String detail =
        e instanceof OAuth2AuthenticationException refused
                && refused.getError().getDescription() != null
            ? "the identity token was refused: " + refused.getError().getDescription()
            : "this service answers only requests the gateway forwards, with its identity token"
                + " (Authorization: Bearer)";
    write(
        request,
        response,
        response.getStatus() == 400 ? "invalid-request" : "unauthorized",
        detail);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException, ServletException {
    insufficient.handle(request, response, e);
    Optional<ApiRoute> route = routes.find(request);
    String detail =
        route
            .map(
                r ->
                    r.method()
                        + " "
                        + r.pattern()
                        + " needs the role "
                        + r.role().id()
                        + (r.role() == Role.ADMIN ? "" : " or higher"))
            .orElseGet(
                () ->
                    request.getRequestURI().startsWith("/actuator/")
                        ? "the actuator needs the role admin"
                        : "the "
                            + routes.context()
                            + " service answers no "
                            + request.getMethod()
                            + " "
                            + request.getRequestURI());
    write(request, response, "forbidden", detail);
  }

  private void write(
      HttpServletRequest request, HttpServletResponse response, String type, String detail)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    int status = response.getStatus();
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", ProblemResponses.BASE + type);
    problem.put("title", title(status));
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setContentType("application/problem+json");
    response.getOutputStream().write(json.writeValueAsBytes(problem));
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      default -> "Refused";
    };
  }
}
