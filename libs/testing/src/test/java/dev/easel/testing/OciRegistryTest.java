package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class OciRegistryTest {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void storesABinaryBlobAndServesItBackByDigest() throws Exception {
    OciRegistry registry = OciRegistry.shared();
    byte[] blob = new byte[64 * 1024];
    new Random(7).nextBytes(blob);
    String digest = sha256(blob);

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

  @Test
  void plainRegistryAnswersTheVersionCheckWithoutCredentials() throws Exception {
    try (OciRegistry registry = OciRegistry.start(OciRegistry.Options.plain())) {
      assertThat(registry.baseUrl()).startsWith("http://");
      assertThat(send(http, request(registry, "/v2/")).statusCode()).isEqualTo(200);
      assertThat(registry.caCertificatePem()).isNull();
      assertThat(registry.trust()).isNull();
      assertThat(registry.tokenRequests()).isZero();
    }
  }

  @Test
  void basicAuthRegistryRefusesAnonymousCallsAndWrongPasswordsOverPlainHttp() throws Exception {
    try (OciRegistry registry =
        OciRegistry.start(OciRegistry.Options.basicAuth("alice", "s3cret"))) {
      assertThat(registry.baseUrl()).startsWith("http://");

      HttpResponse<String> anonymous = send(http, request(registry, "/v2/"));
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(h -> assertThat(h).startsWith("Basic realm="));
      assertThat(
              send(http, request(registry, "/v2/").header("Authorization", basic("alice", "nope")))
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              send(
                      http,
                      request(registry, "/v2/")
                          .header("Authorization", basic(registry.username(), registry.password())))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void tlsRegistryIsRefusedWithoutItsPrivateCaAndServesClientsThatTrustIt() throws Exception {
    try (OciRegistry registry =
        OciRegistry.start(OciRegistry.Options.tlsBasicAuth("alice", "s3cret"))) {
      assertThat(registry.baseUrl()).startsWith("https://127.0.0.1:");
      assertThat(registry.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");

      assertThatThrownBy(() -> send(http, request(registry, "/v2/")))
          .isInstanceOf(SSLException.class);

      HttpClient trusting = HttpClient.newBuilder().sslContext(registry.trust()).build();
      assertThat(send(trusting, request(registry, "/v2/")).statusCode()).isEqualTo(401);
      assertThat(
              send(
                      trusting,
                      request(registry, "/v2/").header("Authorization", basic("alice", "s3cret")))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void tokenRegistryChallengesWithBearerAndAcceptsTheIssuedTokenForPushAndPull() throws Exception {
    try (OciRegistry registry =
        OciRegistry.start(OciRegistry.Options.tokenAuth("alice", "s3cret"))) {
      HttpResponse<String> anonymous = send(http, request(registry, "/v2/"));
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(challenge(anonymous))
          .containsEntry("service", "easel-test-registry")
          .hasEntrySatisfying("realm", realm -> assertThat(realm).startsWith("http://127.0.0.1:"));

      HttpResponse<String> anonymousPush =
          send(
              http,
              request(registry, "/v2/test/repo/blobs/uploads/")
                  .POST(HttpRequest.BodyPublishers.noBody()));
      assertThat(anonymousPush.statusCode()).isEqualTo(401);
      Map<String, String> challenge = challenge(anonymousPush);
      // The registry lists the actions in no fixed order (it builds them from a Go map).
      assertThat(challenge.get("scope")).startsWith("repository:test/repo:");
      assertThat(challenge.get("scope").substring("repository:test/repo:".length()).split(","))
          .containsExactlyInAnyOrder("pull", "push");

      URI tokenUri =
          URI.create(
              challenge.get("realm")
                  + "?service="
                  + URLEncoder.encode(challenge.get("service"), StandardCharsets.UTF_8)
                  + "&scope="
                  + URLEncoder.encode(challenge.get("scope"), StandardCharsets.UTF_8));
      assertThat(send(http, HttpRequest.newBuilder(tokenUri)).statusCode()).isEqualTo(401);
      assertThat(
              send(
                      http,
                      HttpRequest.newBuilder(tokenUri)
                          .header("Authorization", basic("alice", "nope")))
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> issued =
          send(
              http,
              HttpRequest.newBuilder(tokenUri)
                  .header("Authorization", basic(registry.username(), registry.password())));
      assertThat(issued.statusCode()).isEqualTo(200);
      String bearer =
          "Bearer " + JsonMapper.builder().build().readTree(issued.body()).get("token").asString();

      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      byte[] layer = new byte[4096];
      new Random(11).nextBytes(layer);
      byte[] manifest =
          """
          {"schemaVersion":2,"mediaType":"%s",\
          "config":{"mediaType":"application/vnd.oci.image.config.v1+json",\
          "digest":"%s","size":%d},\
          "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar",\
          "digest":"%s","size":%d}]}\
          """
              .formatted(
                  OCI_MANIFEST,
                  pushBlob(registry, bearer, config),
                  config.length,
                  pushBlob(registry, bearer, layer),
                  layer.length)
              .getBytes(StandardCharsets.UTF_8);

      HttpResponse<String> put =
          send(
              http,
              request(registry, "/v2/test/repo/manifests/1")
                  .header("Authorization", bearer)
                  .header("Content-Type", OCI_MANIFEST)
                  .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
      assertThat(put.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(manifest));

      HttpResponse<byte[]> get =
          http.send(
              request(registry, "/v2/test/repo/manifests/1")
                  .header("Authorization", bearer)
                  .header("Accept", OCI_MANIFEST)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(get.statusCode()).isEqualTo(200);
      assertThat(get.body()).isEqualTo(manifest);
      assertThat(registry.tokenRequests()).isPositive();
    }
  }

  @Test
  void refusesAUsernameWithoutAPassword() {
    assertThatThrownBy(() -> new OciRegistry.Options(false, "alice", null, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void convertsDerEcdsaSignaturesToTheFixedWidthFormThatJwsWants() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    Signature der = Signature.getInstance("SHA256withECDSA");
    Signature p1363 = Signature.getInstance("SHA256withECDSAinP1363Format");
    // Sign until some R or S is shorter than 32 bytes in DER (1 in 128 signatures) and some
    // carries a leading zero byte (1 in 2): the two ways a naive conversion goes wrong.
    boolean sawShort = false;
    boolean sawPadded = false;
    for (int i = 0; i < 10_000 && !(sawShort && sawPadded); i++) {
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      der.initSign(keys.getPrivate());
      der.update(message);
      byte[] signature = der.sign();
      int rLength = signature[3];
      int sLength = signature[4 + rLength + 1];
      sawShort |= rLength < 32 || sLength < 32;
      sawPadded |= rLength == 33 || sLength == 33;

      byte[] raw = RegistryTokenServer.rawSignature(signature);

      assertThat(raw).hasSize(64);
      p1363.initVerify(keys.getPublic());
      p1363.update(message);
      assertThat(p1363.verify(raw)).as("signature %d", i).isTrue();
    }
    assertThat(sawShort).isTrue();
    assertThat(sawPadded).isTrue();
  }

  private String pushBlob(OciRegistry registry, String bearer, byte[] blob) throws Exception {
    HttpResponse<String> start =
        send(
            http,
            request(registry, "/v2/test/repo/blobs/uploads/")
                .header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    URI upload =
        URI.create(registry.baseUrl())
            .resolve(start.headers().firstValue("Location").orElseThrow());
    String digest = sha256(blob);
    String separator = upload.getRawQuery() == null ? "?" : "&";
    HttpResponse<String> put =
        send(
            http,
            HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Authorization", bearer)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    return digest;
  }

  private static HttpRequest.Builder request(OciRegistry registry, String path) {
    return HttpRequest.newBuilder(URI.create(registry.baseUrl() + path));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
      throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> challenge(HttpResponse<?> response) {
    String header = response.headers().firstValue("WWW-Authenticate").orElseThrow();
    assertThat(header).startsWith("Bearer ");
    Map<String, String> params = new HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(header);
    while (m.find()) {
      params.put(m.group(1), m.group(2));
    }
    return params;
  }

  private static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
