package dev.easel.gateway.adapters.in.web;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.gateway.domain.RouteTable;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One OpenAPI document for the whole API at {@code /v3/api-docs}: the gateway's own and every
 * service's, fetched from each service's {@code /v3/api-docs}. Each operation says the role it
 * needs ({@code x-easel-role}) and how to authenticate. A service's schemas are prefixed with its
 * name, so two services' {@code NodeView} cannot clash. A service that does not answer is named in
 * {@code x-easel-missing}, and the rest is served.
 */
@RestController
public class OpenApiController {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration KEEP = Duration.ofSeconds(30);

  private final Map<String, String> services;
  private final RouteTable routes = new RouteTable(ApiRoutes.all());
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private volatile ObjectNode cached;
  private volatile long cachedAt;

  public OpenApiController(ServiceDirectory directory) {
    this.services = directory.urls();
  }

  @GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
  String merged(HttpServletRequest request) throws Exception {
    ObjectNode doc = cached;
    if (doc == null || System.nanoTime() - cachedAt > KEEP.toNanos()) {
      doc = merge("http://127.0.0.1:" + request.getLocalPort() + "/v3/api-docs/gateway");
      cached = doc;
      cachedAt = System.nanoTime();
    }
    return doc.toString();
  }

  private ObjectNode merge(String own) {
    ObjectNode out = JSON.createObjectNode();
    out.put("openapi", "3.1.0");
    ObjectNode info = out.putObject("info");
    info.put("title", "Easel API");
    info.put("version", "v1");
    info.put(
        "description",
        "Every service's API through the gateway. Sign in (POST /api/v1/session) for a session"
            + " cookie and send its CSRF token with changes, or send an API token as a bearer"
            + " token. x-easel-role is the least role an operation needs.");
    out.putArray("servers").addObject().put("url", "/");
    ObjectNode paths = out.putObject("paths");
    ObjectNode schemas = out.putObject("components").putObject("schemas");
    ObjectNode schemes = ((ObjectNode) out.get("components")).putObject("securitySchemes");
    schemes.putObject("apiToken").put("type", "http").put("scheme", "bearer");
    schemes
        .putObject("session")
        .put("type", "apiKey")
        .put("in", "cookie")
        .put("name", "EASEL_SESSION");
    ArrayNode missing = JSON.createArrayNode();
    add(own, "gateway", paths, schemas, missing);
    services.forEach((name, url) -> add(url + "/v3/api-docs", name, paths, schemas, missing));
    if (!missing.isEmpty()) {
      out.set("x-easel-missing", missing);
    }
    return out;
  }

  private void add(
      String url, String service, ObjectNode paths, ObjectNode schemas, ArrayNode missing) {
    JsonNode doc;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        missing.add(service);
        return;
      }
      doc = JSON.readTree(r.body());
    } catch (Exception e) {
      missing.add(service);
      return;
    }
    String prefix = service.equals("gateway") ? "" : service + ".";
    JsonNode docSchemas = doc.path("components").path("schemas");
    for (Map.Entry<String, JsonNode> e : docSchemas.properties()) {
      schemas.set(prefix + e.getKey(), renameRefs(e.getValue().deepCopy(), prefix));
    }
    for (Map.Entry<String, JsonNode> p : doc.path("paths").properties()) {
      String path = p.getKey();
      if (!path.startsWith("/api/") && !path.startsWith("/agent/")) {
        continue;
      }
      ObjectNode item = (ObjectNode) renameRefs(p.getValue().deepCopy(), prefix);
      List<String> methods = new ArrayList<>();
      item.propertyNames().forEach(methods::add);
      for (String method : methods) {
        if (!(item.get(method) instanceof ObjectNode op)) {
          continue;
        }
        Optional<ApiRoute> route = routes.match(method.toUpperCase(Locale.ROOT), path);
        if (route.isPresent()) {
          op.put("x-easel-role", route.get().role().id());
          ArrayNode security = op.putArray("security");
          security.addObject().putArray("apiToken");
          security.addObject().putArray("session");
        } else if (path.startsWith("/api/") && !path.equals("/api/v1/session")) {
          // Not in the route table: the gateway refuses it, so it is not part of the API.
          item.remove(method);
        }
      }
      if (!item.isEmpty()) {
        paths.set(path, item);
      }
    }
  }

  private static JsonNode renameRefs(JsonNode node, String prefix) {
    if (prefix.isEmpty()) {
      return node;
    }
    if (node instanceof ObjectNode o) {
      JsonNode ref = o.get("$ref");
      if (ref != null && ref.isString() && ref.asString().startsWith("#/components/schemas/")) {
        o.put("$ref", "#/components/schemas/" + prefix + ref.asString().substring(21));
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
        renameRefs(it.next().getValue(), prefix);
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(x -> renameRefs(x, prefix));
    }
    return node;
  }
}
