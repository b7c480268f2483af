package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.springframework.security.web.csrf.CsrfToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The console's one way to read or change anything: a request to this gateway's own {@code
 * /api/v1}, over loopback, carrying the browser's session cookie and CSRF token. It passes through
 * the same security chain, role checks, trail and routing as any client's request, so a page can
 * never do what its user could not do with curl.
 */
public final class ConsoleApi {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http;
  private final IntSupplier port;

  public ConsoleApi(IntSupplier port) {
    this.port = port;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** What the API answered: its status, its JSON (or a missing node), and its headers. */
  public record Answer(int status, JsonNode body, Map<String, String> headers) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The problem's detail, or a line naming the status when the body is no problem. */
    public String detail() {
      String d = body.path("detail").asString("");
      return d.isEmpty() ? "the API answered " + status : d;
    }

    /** Per-field messages of an RFC 9457 problem, keyed by field. */
    public Map<String, String> fieldErrors() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String list : new String[] {"errors", "fieldErrors", "problems"}) {
        for (JsonNode e : body.path(list)) {
          String field = e.path("field").asString(e.path("pointer").asString(""));
          String message = e.path("message").asString(e.path("detail").asString(""));
          if (!field.isEmpty()) {
            out.merge(field, message, (a, b) -> a + "; " + b);
          }
        }
      }
      return out;
    }
  }

  public Answer get(HttpServletRequest from, String path) {
    return send(from, "GET", path, null, Map.of());
  }

  public Answer send(HttpServletRequest from, String method, String path, Object body) {
    return send(from, method, path, body, Map.of());
  }

  /**
   * Sends one request to the API as the browser's session.
   *
   * @param body null, or anything Jackson writes as JSON
   * @param headers extra headers, such as {@code If-Match}
   */
  public Answer send(
      HttpServletRequest from,
      String method,
      String path,
      Object body,
      Map<String, String> headers) {
    if (!path.startsWith("/api/v1/")) {
      throw new IllegalArgumentException("the console reaches only /api/v1: " + path);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json");
    String cookie = from.getHeader("Cookie");
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (!method.equals("GET")) {
      Object csrf = from.getAttribute(CsrfToken.class.getName());
      if (csrf instanceof CsrfToken t) {
        b.header(t.getHeaderName(), t.getToken());
      }
    }
    headers.forEach(b::header);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return answer(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      return failed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(e);
    }
  }

  /** A download passed through as it comes: the report files, the kubeconfig. */
  public HttpResponse<InputStream> stream(HttpServletRequest from, String path)
      throws IOException, InterruptedException {
    if (!path.startsWith("/api/v1/")) {
      throw new IllegalArgumentException("the console reaches only /api/v1: " + path);
    }
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
            .timeout(Duration.ofMinutes(5))
            .GET();
    String cookie = from.getHeader("Cookie");
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  private static Answer answer(
      int status, byte[] raw, Map<String, java.util.List<String>> headerMap) {
    Map<String, String> headers = new LinkedHashMap<>();
    headerMap.forEach(
        (k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
    JsonNode body = MissingNode.getInstance();
    String type = headers.getOrDefault("content-type", "");
    if (raw.length > 0 && type.contains("json")) {
      try {
        body = JSON.readTree(raw);
      } catch (RuntimeException e) {
        body = JSON.createObjectNode().put("detail", new String(raw, StandardCharsets.UTF_8));
      }
    }
    return new Answer(status, body, headers);
  }

  private static Answer failed(Exception e) {
    return new Answer(
        502,
        JSON.createObjectNode()
            .put(
                "detail",
                "the gateway could not reach its own API: " + e.getClass().getSimpleName()),
        Map.of());
  }
}
