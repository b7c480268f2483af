package dev.easel.gateway.adapters.in.web;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;
import static org.springframework.web.servlet.function.RequestPredicates.path;

import dev.easel.common.web.ProblemResponses;
import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.gateway.application.Identities;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Routes each resource of {@link ApiRoutes} to its service, with the caller's signed identity in
 * place of their credentials: the session cookie and the API token never reach a service. Agents'
 * {@code /agent/v1} goes to node-discovery untouched, with their own credentials.
 */
public final class ProxyRoutes {

  private ProxyRoutes() {}

  public static RouterFunction<ServerResponse> routes(
      Map<String, String> serviceUrls, Identities identities) {
    RouterFunction<ServerResponse> all = null;
    // Each route by its own pattern: two services share a resource (cluster-former answers
    // /api/v1/clusters/{id}, compliance /api/v1/clusters/{id}/scans), and a path in no route
    // reaches no service.
    Map<String, RequestPredicate> byService = new LinkedHashMap<>();
    for (ApiRoute r : ApiRoutes.all()) {
      if (!r.service().equals("gateway")) {
        byService.merge(r.service(), path(r.pattern()), RequestPredicate::or);
      }
    }
    for (Map.Entry<String, RequestPredicate> e : byService.entrySet()) {
      String url = serviceUrls.get(e.getKey());
      if (url == null) {
        throw new IllegalStateException(
            "easel.gateway.services." + e.getKey() + " is not set: where is that service?");
      }
      RouterFunction<ServerResponse> r =
          route(e.getKey())
              .route(e.getValue(), http())
              .before(uri(url))
              .before(identity(identities))
              .onError(Exception.class, unavailable(e.getKey()))
              .build();
      all = all == null ? r : all.and(r);
    }
    RouterFunction<ServerResponse> agents =
        route("agents")
            .route(path("/agent/v1/**"), http())
            .before(uri(serviceUrls.get("nodes")))
            .onError(Exception.class, unavailable("nodes"))
            .build();
    return all == null ? agents : all.and(agents);
  }

  /** A service that did not answer is a 502 problem, not a stack trace. */
  static BiFunction<Throwable, ServerRequest, ServerResponse> unavailable(String service) {
    return (e, request) ->
        ServerResponse.status(HttpStatus.BAD_GATEWAY)
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(
                ProblemResponses.problem(
                    HttpStatus.BAD_GATEWAY,
                    "service-unavailable",
                    "Bad Gateway",
                    "the " + service + " service did not answer: " + e.getClass().getSimpleName()));
  }

  static Function<ServerRequest, ServerRequest> identity(Identities identities) {
    return request -> {
      Caller caller =
          Caller.current()
              .orElseThrow(() -> new IllegalStateException("an unauthenticated request routed"));
      Object rid = request.servletRequest().getAttribute(RequestTrail.REQUEST_ID);
      String requestId = rid == null ? "" : rid.toString();
      String jwt = identities.sign(caller.subject(), caller.role(), requestId);
      return ServerRequest.from(request)
          .headers(
              h -> {
                h.remove(HttpHeaders.COOKIE);
                h.set(HttpHeaders.AUTHORIZATION, "Bearer " + jwt);
                h.set(RequestTrail.HEADER, requestId);
              })
          .build();
    };
  }
}
