package dev.easel.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerApiTest {

  @TempDir Path dir;

  @Test
  void pathSegmentsArePercentEncodedSoAnIdCannotChangeThePath() {
    assertThat(ServerApi.segment("form-cluster.1_a~b")).isEqualTo("form-cluster.1_a~b");
    assertThat(ServerApi.segment("../x y/?#")).isEqualTo("..%2Fx%20y%2F%3F%23");
    assertThat(ServerApi.segment("é")).isEqualTo("%C3%A9");
  }

  @Test
  void anArtifactIsStreamedFromItsFileWithItsDigestInAHeader() throws Exception {
    Path report = Files.writeString(dir.resolve("kube-bench.json"), "{\"checks\":[]}");
    ArtifactFile file = ArtifactFile.of(report);
    Map<String, String> seen = new ConcurrentHashMap<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.put("method", exchange.getRequestMethod());
          seen.put("path", exchange.getRequestURI().getRawPath());
          seen.put("digest", exchange.getRequestHeaders().getFirst("X-Artifact-Digest"));
          seen.put("type", exchange.getRequestHeaders().getFirst("Content-Type"));
          seen.put(
              "expect",
              String.valueOf(exchange.getRequestHeaders().getFirst("Expect"))
                  .toLowerCase(java.util.Locale.ROOT));
          seen.put("auth", exchange.getRequestHeaders().getFirst("Authorization"));
          seen.put(
              "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] answer =
              ("{\"name\":\"kube-bench.json\",\"digest\":\""
                      + file.digest()
                      + "\",\"size\":13,\"mediaType\":\"application/json\","
                      + "\"location\":\"file:///data/x\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      ServerApi api =
          new ServerApi(
              HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
              "http://127.0.0.1:" + server.getAddress().getPort());
      UUID node = UUID.randomUUID();

      ServerApi.StoredArtifact stored =
          ServerApi.await(
              api.uploadArtifact(node, "cred", "plan 1", "scan", "kube-bench.json", file));

      assertThat(stored.location()).isEqualTo("file:///data/x");
      assertThat(seen)
          .containsEntry("method", "PUT")
          .containsEntry(
              "path",
              "/agent/v1/nodes/" + node + "/plans/plan%201/steps/scan/artifacts/kube-bench.json")
          .containsEntry("digest", file.digest())
          .containsEntry("type", "application/json")
          .containsEntry("expect", "null")
          .containsEntry("auth", "Bearer cred")
          .containsEntry("body", "{\"checks\":[]}");
      assertThat(file.digest())
          .isEqualTo(
              "sha256:"
                  + java.util.HexFormat.of()
                      .formatHex(
                          java.security.MessageDigest.getInstance("SHA-256")
                              .digest("{\"checks\":[]}".getBytes(StandardCharsets.UTF_8))));
      assertThat(file.size()).isEqualTo(13);
    } finally {
      server.stop(0);
    }
  }
}
