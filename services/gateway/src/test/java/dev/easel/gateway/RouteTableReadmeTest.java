package dev.easel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's table of routes and roles is written from {@link ApiRoutes}, the table the gateway
 * and services enforce; it fails while the README is stale. Rewrite it with {@code ./mvnw -pl
 * services/gateway test -Dtest=RouteTableReadmeTest -Deasel.routes.write=true}.
 */
class RouteTableReadmeTest {

  private static final String BEGIN = "<!-- routes:begin (written from ApiRoutes) -->";
  private static final String END = "<!-- routes:end -->";

  static String table() {
    StringBuilder t = new StringBuilder();
    t.append("| method and path | service | least role | what |\n");
    t.append("|---|---|---|---|\n");
    t.append("| `POST /api/v1/session` | gateway | none | sign in: `{username, password}` |\n");
    for (ApiRoute r : ApiRoutes.all()) {
      t.append("| `")
          .append(r.method())
          .append(' ')
          .append(r.pattern())
          .append("` | ")
          .append(r.service())
          .append(" | ")
          .append(r.role().id())
          .append(" | ")
          .append(r.summary())
          .append(" |\n");
    }
    return t.toString();
  }

  @Test
  void theReadmeListsEveryRouteWithTheRoleItNeeds() throws IOException {
    Path readme = Path.of("../../README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("the README has the routes markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String current = text.substring(begin + BEGIN.length() + 1, end);
    if (Boolean.getBoolean("easel.routes.write")) {
      Files.writeString(
          readme,
          text.substring(0, begin + BEGIN.length() + 1) + table() + text.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(current).isEqualTo(table());
  }
}
