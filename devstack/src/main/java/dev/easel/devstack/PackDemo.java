package dev.easel.devstack;

import dev.easel.testing.PackArchives;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packs part of {@code --demo}: packs the appliance's pack directories (the profile's five, and
 * the two third-party packs) as archives, uploads them to the internal registry through
 * pack-manager, then imports and publishes the {@code easel-appliance} profile.
 */
final class PackDemo {

  static final String PROFILE = "easel-appliance";
  static final String VERSION = "1.0.0";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String token;

  /** A request through the gateway, as the devstack's own API token. */
  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token);
  }

  private final String base;
  private final Path packs;
  private final Path profile;

  /**
   * @param base the gateway's address
   * @param token an API token that may upload packs and publish profiles
   * @param packs the directory of pack directories
   * @param profile the profile document to import
   */
  PackDemo(String base, String token, Path packs, Path profile) {
    this.base = base;
    this.token = token;
    this.packs = packs;
    this.profile = profile;
  }

  /** Runs the demo; answers what it did, one line each. */
  List<String> run() throws IOException, InterruptedException {
    List<String> done = new ArrayList<>();
    String registry = internalRegistry();
    List<Path> dirs;
    try (Stream<Path> s = Files.list(packs)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    for (Path dir : dirs) {
      byte[] archive = PackArchives.tarGz(dir);
      HttpResponse<String> r =
          http.send(
              request(
                      URI.create(
                          base
                              + "/api/v1/registries/"
                              + registry
                              + "/bundles?filename="
                              + dir.getFileName()
                              + ".tar.gz"))
                  .header("Content-Type", "application/octet-stream")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        throw new IllegalStateException(dir.getFileName() + " was refused: " + r.body());
      }
      String upload = JSON.readTree(r.body()).get("id").asString();
      JsonNode finished = awaitUpload(upload);
      if (!finished.get("state").asString().equals("COMPLETED")) {
        throw new IllegalStateException(dir.getFileName() + " failed: " + finished.get("errors"));
      }
      done.add(String.join(", ", strings(finished.get("artifacts"))));
    }
    String at = base + "/api/v1/profiles/" + PROFILE + "/versions/" + VERSION;
    HttpResponse<String> existing = get(at);
    if (existing.statusCode() == 404) {
      HttpResponse<String> imported =
          http.send(
              request(URI.create(base + "/api/v1/profiles/import"))
                  .header("Content-Type", "application/yaml")
                  .POST(HttpRequest.BodyPublishers.ofFile(profile))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (imported.statusCode() != 201) {
        throw new IllegalStateException("the profile was refused: " + imported.body());
      }
      existing = get(at);
    }
    if (!JSON.readTree(existing.body()).get("state").asString().equals("PUBLISHED")) {
      HttpResponse<String> published =
          http.send(
              request(URI.create(at + "/publish"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (published.statusCode() != 200) {
        throw new IllegalStateException("the profile could not be published: " + published.body());
      }
    }
    done.add("profile " + PROFILE + " " + VERSION + " published");
    return done;
  }

  private String internalRegistry() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(base + "/api/v1/registries");
      if (r.statusCode() == 200) {
        for (JsonNode reg : JSON.readTree(r.body())) {
          if (reg.get("kind").asString().equals("internal")) {
            return reg.get("id").asString();
          }
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("pack-manager registered no internal registry");
  }

  private JsonNode awaitUpload(String id) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode u = JSON.readTree(get(base + "/api/v1/uploads/" + id).body());
      String state = u.get("state").asString();
      if (state.equals("COMPLETED") || state.equals("FAILED")) {
        return u;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("upload " + id + " did not finish in 2 minutes");
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(request(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }
}
