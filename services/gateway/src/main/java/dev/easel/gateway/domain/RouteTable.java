package dev.easel.gateway.domain;

import dev.easel.contracts.api.ApiRoute;
import java.util.List;
import java.util.Optional;

/** Finds the route a request is for: exact segments, and {@code {name}} for any one segment. */
public final class RouteTable {

  private final List<ApiRoute> routes;

  public RouteTable(List<ApiRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  public List<ApiRoute> routes() {
    return routes;
  }

  /** The route for this method and path; a literal segment wins over a variable one. */
  public Optional<ApiRoute> match(String method, String path) {
    String[] segments = split(path);
    ApiRoute best = null;
    int bestLiterals = -1;
    for (ApiRoute r : routes) {
      if (!r.method().equalsIgnoreCase(method)) {
        continue;
      }
      String[] pattern = split(r.pattern());
      if (pattern.length != segments.length) {
        continue;
      }
      int literals = 0;
      boolean ok = true;
      for (int i = 0; i < pattern.length && ok; i++) {
        if (pattern[i].startsWith("{")) {
          ok = !segments[i].isEmpty();
        } else {
          ok = pattern[i].equals(segments[i]);
          literals++;
        }
      }
      if (ok && literals > bestLiterals) {
        best = r;
        bestLiterals = literals;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String[] split(String path) {
    String p =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.startsWith("/") ? p.substring(1).split("/", -1) : p.split("/", -1);
  }
}
