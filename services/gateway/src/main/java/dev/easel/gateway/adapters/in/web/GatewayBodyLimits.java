package dev.easel.gateway.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import dev.easel.common.web.ProblemResponses;
import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The gateway's own resources (sign-in, users, tokens) take at most 16 KiB, checked before anyone
 * is authenticated. What is routed to a service is the service's to limit: bundle uploads stream
 * through at any size pack-manager accepts.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class GatewayBodyLimits extends BodyLimitFilter {

  static final int OWN = 16 * 1024;
  private static final List<String> OWN_PREFIXES =
      ApiRoutes.of("gateway").stream().map(ApiRoute::resource).distinct().toList();

  GatewayBodyLimits() {
    super(ProblemResponses.BASE);
  }

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    String path = request.getRequestURI();
    for (String prefix : OWN_PREFIXES) {
      if (path.equals(prefix) || path.startsWith(prefix + "/")) {
        return new Limit(OWN, "payload-too-large");
      }
    }
    return null;
  }
}
