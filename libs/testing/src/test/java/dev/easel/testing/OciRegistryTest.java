package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OciRegistryTest {

  @Test
  void storesABinaryBlobAndServesItBackByDigest() throws Exception {
    OciRegistry registry = OciRegistry.shared();
    byte[] blob = new byte[64 * 1024];
    new Random(7).nextBytes(blob);
    String digest =
        "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<Void> start =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/easel/test/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(start.statusCode()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI upload = URI.create(registry.baseUrl()).resolve(location);
    String sep = upload.toString().contains("?") ? "&" : "?";
    HttpResponse<Void> put =
        http.send(
            HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(put.statusCode()).isEqualTo(201);

    HttpResponse<byte[]> get =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(registry.baseUrl() + "/v2/easel/test/blobs/" + digest))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(blob);
  }
}
