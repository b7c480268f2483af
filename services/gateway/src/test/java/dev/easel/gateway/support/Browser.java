package dev.easel.gateway.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of the gateway as a browser or a script is: its own cookies, and optionally a CSRF token
 * or a bearer token it sends with every request.
 */
public final class Browser {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final HttpClient http;
  private String csrfHeader;
  private String csrfToken;
  private String bearer;

  public Browser(String base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public static Browser withToken(String base, String token) {
    Browser b = new Browser(base);
    b.bearer = token;
    return b;
  }

  /** An answer, its body parsed when it is JSON. */
  public record Answer(int status, String body, HttpResponse<String> raw) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Answer signIn(String user, String password) {
    Answer a =
        send(
            "POST",
            "/api/v1/session",
            "{\"username\":" + q(user) + ",\"password\":" + q(password) + "}");
    if (a.status() == 200) {
      rememberCsrf(a.json());
    }
    return a;
  }

  public void rememberCsrf(JsonNode session) {
    if (session.has("csrf")) {
      csrfHeader = session.get("csrf").get("headerName").asString();
      csrfToken = session.get("csrf").get("token").asString();
    }
  }

  public void forgetCsrf() {
    csrfHeader = null;
    csrfToken = null;
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  public Answer send(String method, String path, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (csrfToken != null) {
      b.header(csrfHeader, csrfToken);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(
        method,
        json == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json));
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r);
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    }
  }

  public static String q(String s) {
    return s == null ? "null" : JSON.writeValueAsString(s);
  }
}
