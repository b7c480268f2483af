package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ui.Model;

/** Small things every page controller does the same way. */
final class Pages {

  private Pages() {}

  /** A value for a query string or a path segment. */
  static String q(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** A query string of the non-empty values, with its {@code ?}, or nothing. */
  static String query(Map<String, String> params) {
    StringBuilder b = new StringBuilder();
    params.forEach(
        (k, v) -> {
          if (v != null && !v.isBlank()) {
            b.append(b.length() == 0 ? '?' : '&').append(k).append('=').append(q(v));
          }
        });
    return b.toString();
  }

  static Map<String, String> params(String... keysAndValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /**
   * Puts a refused answer on the page: its detail as {@code error} and its per-field messages as
   * {@code errors}, and answers the browser with the API's own status (htmx swaps it in).
   */
  static void refused(ConsoleApi.Answer a, Model model, HttpServletResponse response) {
    model.addAttribute("error", a.detail());
    model.addAttribute("errors", a.fieldErrors());
    response.setStatus(a.status());
  }
}
