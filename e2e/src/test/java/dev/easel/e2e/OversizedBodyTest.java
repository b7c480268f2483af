package dev.easel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.easel.contracts.api.Role;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import dev.easel.testing.TestIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gigabyte sent to the one endpoint anyone holding a token may call, against node-discovery
 * running with a 256 MiB heap: it must answer 413 having read no more than its limit, and stay
 * healthy.
 */
class OversizedBodyTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long GIB = 1L << 30;

  @Test
  void aGigabyteChunkedBodyGets413AndTheServiceStaysHealthy() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events", "easel.nodes.commands");
    TestDatabase db = infra.newDatabase("e2e_oversized");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    Path log = Infrastructure.tempDir("e2e-oversized").resolve("node-discovery.log");
    try (JarProcess service =
        JarProcess.start(
            JarProcess.jarOf("services/node-discovery", "easel-node-discovery-"),
            log,
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"),
            List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + db.jdbcUrl(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--spring.cloud.stream.kafka.binder.brokers=" + infra.kafkaBootstrapServers(),
                TestIdentity.commandLineArgument()))) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> health(base) == 200 || !service.alive());
      assertThat(service.alive()).as(service.output()).isTrue();
      String token = token(base);

      long[] sent = new long[1];
      String status = sendChunked(port, token, GIB, sent);
      assertThat(status).as("the status line").startsWith("HTTP/1.1 413");
      assertThat(sent[0])
          .as("the server answered long before the gigabyte was sent")
          .isLessThan(GIB);

      assertThat(health(base)).isEqualTo(200);
      String inventory =
          "{\"hostname\":\"after\",\"smbios\":{\"uuid\":\"" + UUID.randomUUID() + "\"}}";
      HttpResponse<String> ok =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/agent/v1/register"))
                  .header("Authorization", "Bearer " + token)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(inventory))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode())
          .as("a normal registration still works: " + ok.body())
          .isEqualTo(200);
      assertThat(service.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * Sends a chunked body of up to {@code total} bytes over a raw socket and returns the answer's
   * status line. A writer thread sends while this thread waits for the answer: a server that stops
   * reading without closing would otherwise block the write forever, since a socket's read timeout
   * does not bound its writes. Closing the socket once the answer is in ends the writer.
   */
  private static String sendChunked(int port, String token, long total, long[] sent)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(
                      ("POST /agent/v1/register HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization:"
                              + " Bearer "
                              + token
                              + "\r\nContent-Type: application/json\r\n"
                              + "Transfer-Encoding: chunked\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  byte[] chunk = new byte[64 * 1024];
                  Arrays.fill(chunk, (byte) 'x');
                  byte[] head = "{\"hostname\":\"".getBytes(StandardCharsets.US_ASCII);
                  System.arraycopy(head, 0, chunk, 0, head.length);
                  byte[] size =
                      (Integer.toHexString(chunk.length) + "\r\n")
                          .getBytes(StandardCharsets.US_ASCII);
                  byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
                  while (sent[0] < total && !socket.isClosed()) {
                    out.write(size);
                    out.write(chunk);
                    out.write(end);
                    sent[0] += chunk.length;
                    chunk[0] = 'x';
                  }
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException closed) {
                  // The server answered and closed, or this side closed once it had the answer.
                }
              },
              "oversized-writer");
      writer.setDaemon(true);
      writer.start();
      String status =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
      socket.close();
      writer.join(Duration.ofSeconds(30).toMillis());
      assertThat(writer.isAlive()).as("the writer ended once the socket closed").isFalse();
      return status;
    }
  }

  private static int health(String base) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET().build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static String token(String base) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/registration-tokens"))
                .header("Content-Type", "application/json")
                .header("Authorization", TestIdentity.bearer(Role.ADMIN))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"big\",\"ttlSeconds\":600,\"maxUses\":10}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JsonMapper.builder().build().readTree(r.body()).get("token").asString();
  }
}
