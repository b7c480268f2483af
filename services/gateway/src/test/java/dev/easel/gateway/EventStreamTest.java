package dev.easel.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.gateway.adapters.in.messaging.EventFeed;
import dev.easel.gateway.support.RunningGateway;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.KafkaClients;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/events} on the real gateway reading the shared broker: structured CloudEvents,
 * filters, resuming with {@code Last-Event-ID}, and 200 streams at once with a client that stops
 * reading.
 */
class EventStreamTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A thread per open stream: the common pool has one thread on two cores. */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "sse-reader");
            t.setDaemon(true);
            return t;
          });

  private static RunningGateway gateway;
  private static KafkaProducer<String, byte[]> producer;
  private static String viewer;
  private static EventFeed feed;

  @BeforeAll
  static void start() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events", "easel.clusters.events");
    gateway =
        RunningGateway.start(
            "gateway_events",
            Map.of("easel.gateway.events.buffer", "200", "easel.gateway.events.queue-size", "50"));
    viewer = gateway.firstAdminMakesToken("stream-viewer", "viewer");
    producer = KafkaClients.producer(infra.kafkaBootstrapServers());
    feed = gateway.bean(EventFeed.class);
    Awaitility.await("the feed has its partitions")
        .atMost(Duration.ofSeconds(60))
        .until(feed::ready);
  }

  @AfterAll
  static void stop() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String send(String topic, String type, String subject, String data) {
    String id = UUID.randomUUID().toString();
    try {
      producer
          .send(KafkaClients.cloudEvent(topic, subject, id, type, data, Map.of("subject", subject)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return id;
  }

  /** An SSE stream read line by line into events. */
  private static final class Sse implements AutoCloseable {
    final List<String[]> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<HttpResponse<Stream<String>>> response;
    volatile int status;

    Sse(HttpClient http, String query, String lastEventId) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(gateway.base + "/api/v1/events" + query))
              .header("Authorization", "Bearer " + viewer)
              .header("Accept", "text/event-stream");
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      response =
          http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
              .thenApply(
                  r -> {
                    status = r.statusCode();
                    String[] current = new String[3];
                    CompletableFuture.runAsync(
                        () ->
                            r.body()
                                .forEach(
                                    line -> {
                                      if (line.startsWith("id:")) {
                                        current[0] = line.substring(3).trim();
                                      } else if (line.startsWith("event:")) {
                                        current[1] = line.substring(6).trim();
                                      } else if (line.startsWith("data:")) {
                                        current[2] = line.substring(5).trim();
                                      } else if (line.isEmpty() && current[2] != null) {
                                        events.add(current.clone());
                                        current[0] = current[1] = current[2] = null;
                                      }
                                    }),
                        READERS);
                    return r;
                  });
    }

    List<JsonNode> data(String type) {
      List<JsonNode> out = new ArrayList<>();
      for (String[] e : events) {
        if (type.equals(e[1])) {
          out.add(JSON.readTree(e[2]));
        }
      }
      return out;
    }

    @Override
    public void close() {
      response.cancel(true);
      response.thenAccept(r -> r.body().close());
    }
  }

  @Test
  void aStreamSendsStructuredCloudEventsFilteredByTypeAndSubject() {
    HttpClient http = HttpClient.newHttpClient();
    int before = feed.streams();
    try (Sse sse =
        new Sse(http, "?type=dev.easel.nodes.NodeRegistered.v1&subject=n-wanted", null)) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> feed.streams() > before);
      send("easel.nodes.events", "dev.easel.nodes.NodeRegistered.v1", "n-other", "{\"n\":1}");
      send("easel.nodes.events", "dev.easel.nodes.NodeReserved.v1", "n-wanted", "{\"n\":2}");
      String id =
          send("easel.nodes.events", "dev.easel.nodes.NodeRegistered.v1", "n-wanted", "{\"n\":3}");
      Awaitility.await("the wanted event")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !sse.data("dev.easel.nodes.NodeRegistered.v1").isEmpty());
      List<JsonNode> got = sse.data("dev.easel.nodes.NodeRegistered.v1");
      assertThat(sse.status).isEqualTo(200);
      assertThat(got).hasSize(1);
      JsonNode ce = got.get(0);
      assertThat(ce.get("specversion").asString()).isEqualTo("1.0");
      assertThat(ce.get("id").asString()).isEqualTo(id);
      assertThat(ce.get("subject").asString()).isEqualTo("n-wanted");
      assertThat(ce.get("data").get("n").asInt()).isEqualTo(3);
      assertThat(sse.events).allMatch(e -> !"dev.easel.nodes.NodeReserved.v1".equals(e[1]));
    }
  }

  @Test
  void aStreamReopenedWithTheLastEventIdGetsWhatItMissedOnce() {
    HttpClient http = HttpClient.newHttpClient();
    String subject = "resume-" + UUID.randomUUID();
    String lastId;
    int before = feed.streams();
    try (Sse sse = new Sse(http, "?subject=" + subject, null)) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> feed.streams() > before);
      send("easel.clusters.events", "dev.easel.clusters.ClusterRequested.v1", subject, "{\"k\":1}");
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sse.events.size() == 1);
      lastId = sse.events.get(0)[0];
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> feed.streams() == before);
    send("easel.clusters.events", "dev.easel.clusters.ClusterStepStarted.v1", subject, "{\"k\":2}");
    send("easel.clusters.events", "dev.easel.clusters.ClusterRunning.v1", subject, "{\"k\":3}");
    try (Sse again = new Sse(http, "?subject=" + subject, lastId)) {
      Awaitility.await("the two missed events")
          .atMost(Duration.ofSeconds(30))
          .until(() -> again.events.size() >= 2);
      assertThat(again.events.stream().map(e -> e[1]).toList())
          .containsExactly(
              "dev.easel.clusters.ClusterStepStarted.v1", "dev.easel.clusters.ClusterRunning.v1");
    }
    try (Sse gone = new Sse(http, "?subject=" + subject, "easel.nodes.events:0:999999999")) {
      Awaitility.await("a gap notice")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !gone.data("easel.gap").isEmpty());
    }
  }

  @Test
  void aStreamNeedsAViewerAtLeast() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(gateway.base + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Test
  void twoHundredStreamsGetEveryEventWhileAClientThatStopsReadingIsDropped() throws Exception {
    int streams = 200;
    int before = feed.streams();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Sse> open = new ArrayList<>();
    try (Socket stuck = new Socket()) {
      // A client that asks for everything and then never reads.
      stuck.setReceiveBufferSize(4096);
      URI base = URI.create(gateway.base);
      stuck.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
      OutputStream out = stuck.getOutputStream();
      out.write(
          ("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + viewer
                  + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < streams; i++) {
        open.add(new Sse(http, "?subject=fast", null));
      }
      Awaitility.await("every stream subscribed")
          .atMost(Duration.ofSeconds(60))
          .until(() -> feed.streams() == before + streams + 1);
      // Enough for the stuck client to fill its socket and its queue; the others do not want it.
      // Loopback send buffers grow to 4 MiB; 12 MB is more than the socket and the queue hold.
      String bulk = "{\"pad\":\"" + "x".repeat(20_000) + "\"}";
      for (int i = 0; i < 600; i++) {
        send("easel.nodes.events", "dev.easel.nodes.NodeHeartbeat.v1", "bulk", bulk);
      }
      for (int i = 0; i < 20; i++) {
        send(
            "easel.nodes.events", "dev.easel.nodes.NodeRegistered.v1", "fast", "{\"i\":" + i + "}");
      }
      Awaitility.await("every stream has all 20 events")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> open.stream().allMatch(s -> s.events.size() >= 20));
      assertThat(open).allMatch(s -> s.events.size() == 20 && s.status == 200);
      Awaitility.await("the stuck client dropped")
          .atMost(Duration.ofSeconds(60))
          .until(() -> feed.streams() == before + streams);
      // It was closed, not left hanging: once it reads again, its response ends.
      InputStream in = stuck.getInputStream();
      stuck.setSoTimeout(60_000);
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      while (reader.readLine() != null) {
        // drain to the end
      }
    } finally {
      open.forEach(Sse::close);
    }
  }
}
