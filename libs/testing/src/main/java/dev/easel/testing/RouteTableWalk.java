package dev.easel.testing;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.contracts.api.Role;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Walks every route of {@link ApiRoutes} through a gateway: without credentials (401 expected),
 * then with a token of each role (403 below the route's role, anything but 401 and 403 at or above
 * it). Path variables get ids that name nothing, so no call changes anything that exists.
 */
public final class RouteTableWalk {

  private RouteTableWalk() {}

  /**
   * @param tokens an API token per role
   * @return one line per answer that was not as expected; empty when the table holds
   */
  public static List<String> walk(String gateway, Map<Role, String> tokens) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<String> wrong = new ArrayList<>();
    for (ApiRoute route : ApiRoutes.all()) {
      String path =
          route
              .pattern()
              .replace("{id}", UUID.randomUUID().toString())
              .replace("{name}", "nobody-" + UUID.randomUUID().toString().substring(0, 8))
              .replaceAll("\\{[^}]+}", "x");
      check(http, gateway, route, path, "nobody", null, 401, wrong);
      for (Role r : Role.values()) {
        check(
            http,
            gateway,
            route,
            path,
            r.id(),
            tokens.get(r),
            r.grants(route.role()) ? -1 : 403,
            wrong);
      }
    }
    return wrong;
  }

  /** {@code expected} -1 means allowed: anything but 401 and 403. */
  private static void check(
      HttpClient http,
      String gateway,
      ApiRoute route,
      String path,
      String who,
      String token,
      int expected,
      List<String> wrong)
      throws Exception {
    boolean bodyless = route.method().equals("GET") || route.method().equals("DELETE");
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(gateway + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                route.method(),
                bodyless
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{}"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    // Headers only: a live stream would never end.
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    int status = r.statusCode();
    boolean ok = expected == -1 ? status != 401 && status != 403 : status == expected;
    if (!ok) {
      wrong.add(
          route.method()
              + " "
              + route.pattern()
              + " as "
              + who
              + ": "
              + status
              + ", expected "
              + (expected == -1 ? "allowed" : expected));
    }
  }
}
