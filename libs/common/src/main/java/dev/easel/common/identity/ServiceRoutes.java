package dev.easel.common.identity;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.contracts.api.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The routes of the public API one service serves, from {@link ApiRoutes}, each with the matcher
 * that finds its requests. The gateway checks a caller's role against the same table; the service
 * checks it again.
 */
final class ServiceRoutes {

  private static final Logger log = LoggerFactory.getLogger(ServiceRoutes.class);

  /** One route and the requests it answers. */
  record Entry(ApiRoute route, RequestMatcher matcher) {

    /** The roles that may call it: its own and every role that grants more. */
    String[] grantingRoles() {
      return Arrays.stream(Role.values())
          .filter(r -> r.grants(route.role()))
          .map(Role::name)
          .toArray(String[]::new);
    }
  }

  private final String context;
  private final List<Entry> entries;

  private ServiceRoutes(String context, List<Entry> entries) {
    this.context = context;
    this.entries = entries;
  }

  /** The routes of a context ({@code nodes}, {@code packs}, ...), in the table's order. */
  static ServiceRoutes of(String context) {
    List<ApiRoute> routes = ApiRoutes.of(context);
    if (routes.isEmpty()) {
      log.warn(
          "the API route table (ApiRoutes) has no route for context '{}'"
              + " (easel.messaging.context): every /api/v1 call will be refused",
          context);
    }
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    return new ServiceRoutes(
        context,
        routes.stream()
            .map(r -> new Entry(r, paths.matcher(HttpMethod.valueOf(r.method()), r.pattern())))
            .toList());
  }

  String context() {
    return context;
  }

  List<Entry> entries() {
    return entries;
  }

  /** The route a request is for, if it is one of this service's. */
  Optional<ApiRoute> find(HttpServletRequest request) {
    return entries.stream().filter(e -> e.matcher().matches(request)).map(Entry::route).findFirst();
  }
}
