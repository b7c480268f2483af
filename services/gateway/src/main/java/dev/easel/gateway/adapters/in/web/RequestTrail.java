package dev.easel.gateway.adapters.in.web;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.gateway.application.Trail;
import dev.easel.gateway.domain.RouteTable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outermost filter: gives each request its id (answered in {@code X-Request-Id} and passed to
 * services in the identity), and once the answer is known puts every mutating or refused API
 * request on the operator trail. Agents' requests are theirs, not operators', and are not recorded.
 */
public class RequestTrail extends OncePerRequestFilter {

  public static final String REQUEST_ID = "easel.requestId";
  public static final String HEADER = "X-Request-Id";

  private static final Logger log = LoggerFactory.getLogger(RequestTrail.class);

  private final Trail trail;
  private final RouteTable routes;

  public RequestTrail(Trail trail, RouteTable routes) {
    this.trail = trail;
    this.routes = routes;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = UUID.randomUUID().toString();
    request.setAttribute(REQUEST_ID, id);
    response.setHeader(HEADER, id);
    MDC.put("requestId", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
      record(request, response.getStatus(), id);
    }
  }

  @Override
  protected boolean shouldNotFilterAsyncDispatch() {
    return true;
  }

  private void record(HttpServletRequest request, int status, String id) {
    String path = request.getRequestURI();
    if (!path.startsWith("/api/") || !Trail.recorded(request.getMethod(), status)) {
      return;
    }
    Object actor = request.getAttribute(SessionGuard.ACTOR);
    String route = routes.match(request.getMethod(), path).map(ApiRoute::pattern).orElse(path);
    try {
      trail.record(
          actor == null ? "anonymous" : actor.toString(),
          request.getMethod(),
          route,
          path,
          status,
          id,
          request.getRemoteAddr());
    } catch (RuntimeException e) {
      // The answer has gone; a trail that cannot be written is logged loudly, not hidden.
      log.error(
          "could not record {} {} ({}) on the operator trail: {}",
          request.getMethod(),
          path,
          status,
          e.toString());
    }
  }
}
