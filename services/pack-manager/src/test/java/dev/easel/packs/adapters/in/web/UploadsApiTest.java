package dev.easel.packs.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.api.Role;
import dev.easel.contracts.packs.BundleUploaded;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.packs.support.RunningPackManager;
import dev.easel.packs.support.TestBundles;
import dev.easel.testing.EventStream;
import dev.easel.testing.OciRegistry;
import dev.easel.testing.TestIdentity;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bundle uploads through the real service into a real {@code docker-registry}: what lands where,
 * what a second push sends, mounts, signatures, and the malicious corpus refused with nothing
 * pushed and no file left.
 */
class UploadsApiTest {

  private static final ContractRegistry CONTRACTS = ContractRegistry.of(EaselContracts.ALL);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static RunningPackManager packs;
  private static RunningPackManager strict;
  private static OciRegistry registry;
  private static KeyPair trusted;
  private static Path keys;

  @BeforeAll
  static void start() throws Exception {
    registry = OciRegistry.shared();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    trusted = g.generateKeyPair();
    keys = Files.createTempDirectory("easel-trusted-keys");
    Files.writeString(
        keys.resolve("release.pem"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(trusted.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    packs =
        RunningPackManager.start(
            "uploads",
            Map.of(
                "easel.packs.trusted-keys-dir",
                keys.toString(),
                "easel.packs.uploads.max-bundle-size",
                "64MB"));
    strict =
        RunningPackManager.start(
            "uploads-strict",
            Map.of(
                "easel.packs.trusted-keys-dir",
                keys.toString(),
                "easel.packs.require-signed-bundles",
                "true"));
  }

  @AfterAll
  static void stop() {
    for (RunningPackManager p : new RunningPackManager[] {packs, strict}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static String newRegistry(RunningPackManager on) throws Exception {
    String base = "t" + UUID.randomUUID().toString().substring(0, 8);
    return on.addPlainRegistry(base, registry.baseUrl(), base);
  }

  private static String baseOf(RunningPackManager on, String registryId) throws Exception {
    return on.json(on.call("GET", "/api/v1/registries/" + registryId, null))
        .get("baseContentPath")
        .asString();
  }

  private static HttpResponse<String> registryGet(String path, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(registry.baseUrl() + path))
            .header("Accept", accept)
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> repositories(String prefix) throws Exception {
    JsonNode c =
        RunningPackManager.JSON.readTree(
            registryGet("/v2/_catalog?n=1000", "application/json").body());
    return c.get("repositories")
        .valueStream()
        .map(JsonNode::asString)
        .filter(r -> r.startsWith(prefix))
        .toList();
  }

  @Test
  void aPackArchiveLandsAsAnOciArtifactUnderSpectroPacksAndJoinsTheCatalogue() throws Exception {
    String id = newRegistry(packs);
    String base = baseOf(packs, id);
    try (EventStream events = EventStream.watch(CONTRACTS, "easel.packs.events")) {
      HttpResponse<String> r =
          packs.upload(id, TestBundles.packArchive("kairos-ubuntu-22.4.0"), Map.of());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(r.headers().firstValue("Location"))
          .hasValueSatisfying(l -> assertThat(l).startsWith("/api/v1/uploads/"));
      JsonNode u = packs.awaitUpload(packs.json(r).get("id").asString());
      assertThat(u.get("state").asString()).as(u.toString()).isEqualTo("COMPLETED");
      assertThat(u.get("format").asString()).isEqualTo("pack-archive");
      assertThat(u.get("artifacts").get(0).asString())
          .isEqualTo(base + "/spectro-packs/archive/kairos-ubuntu:22.4.0");

      HttpResponse<String> m =
          registryGet(
              "/v2/" + base + "/spectro-packs/archive/kairos-ubuntu/manifests/22.4.0",
              "application/vnd.oci.image.manifest.v1+json");
      assertThat(m.statusCode()).isEqualTo(200);
      JsonNode manifest = RunningPackManager.JSON.readTree(m.body());
      assertThat(manifest.get("artifactType").asString())
          .isEqualTo("application/vnd.easel.pack.v1");
      assertThat(manifest.get("config").get("mediaType").asString())
          .isEqualTo("application/vnd.oci.empty.v1+json");
      JsonNode layer = manifest.get("layers").get(0);
      assertThat(layer.get("mediaType").asString())
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
      assertThat(layer.get("annotations").get("org.opencontainers.image.title").asString())
          .isEqualTo("kairos-ubuntu-22.4.0.tar.gz");
      assertThat(layer.get("digest").asString()).isEqualTo(u.get("sha256").asString());

      PackAdded added =
          events
              .andWaitForEventOfType(PackAdded.class)
              .matching(e -> e.registryId().toString().equals(id))
              .toArrive()
              .payload();
      assertThat(added.name()).isEqualTo("kairos-ubuntu");
      assertThat(added.layer()).isEqualTo("os");
      events
          .andWaitForEventOfType(BundleUploaded.class)
          .matching(e -> e.registryId().toString().equals(id))
          .toArrive();
    }
    JsonNode page =
        packs.json(packs.call("GET", "/api/v1/packs?registry=" + base + "&layer=os", null));
    assertThat(page.get("items").get(0).get("name").asString()).isEqualTo("kairos-ubuntu");
    JsonNode detail =
        packs.json(
            packs.call(
                "GET", "/api/v1/packs/kairos-ubuntu/versions/22.4.0?registry=" + base, null));
    assertThat(detail.get("values").asString()).contains("pack:");
    assertThat(detail.get("readme").asString()).isNotBlank();
    assertThat(packs.spoolIsEmpty()).isTrue();
  }

  @Test
  void theSameBundleAgainSendsNoBlob() throws Exception {
    String id = newRegistry(packs);
    byte[] archive = TestBundles.packArchive("cni-calico-3.29.2");
    JsonNode first =
        packs.awaitUpload(packs.json(packs.upload(id, archive, Map.of())).get("id").asString());
    assertThat(first.get("blobsPushed").asInt()).isEqualTo(2);
    JsonNode again =
        packs.awaitUpload(packs.json(packs.upload(id, archive, Map.of())).get("id").asString());
    assertThat(again.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(again.get("blobsPushed").asInt()).isZero();
    assertThat(again.get("bytesPushed").asLong()).isZero();
    assertThat(again.get("blobsSkipped").asInt()).isEqualTo(2);
  }

  @Test
  void aBundleWithPacksAndAnImagePushesEveryArtifactAndMountsASharedBlob() throws Exception {
    String id = newRegistry(packs);
    String base = baseOf(packs, id);
    byte[] shared = "a layer both images carry".getBytes(StandardCharsets.UTF_8);
    TestBundles.Layout layout =
        new TestBundles.Layout()
            .pack(TestBundles.packArchive("zot-0.1.67"), "spectro-packs/archive/zot:0.1.67")
            .pack(
                TestBundles.packArchive("easel-third-party-1.0.0"),
                "spectro-packs/archive/easel-third-party:1.0.0")
            .image(List.of(shared, "one".getBytes(StandardCharsets.UTF_8)), "images/first:v1")
            .image(List.of(shared, "two".getBytes(StandardCharsets.UTF_8)), "images/second:v1");
    HttpResponse<String> r = packs.upload(id, layout.bundle(), Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode u = packs.awaitUpload(packs.json(r).get("id").asString());
    assertThat(u.get("state").asString()).as(u.toString()).isEqualTo("COMPLETED");
    assertThat(u.get("format").asString()).isEqualTo("oci-bundle");
    assertThat(u.get("artifacts")).hasSize(4);
    // The second image's shared layer comes from the first image's repository, not over the wire.
    assertThat(u.get("blobsSkipped").asInt()).isGreaterThanOrEqualTo(1);
    assertThat(repositories(base + "/"))
        .contains(
            base + "/spectro-packs/archive/zot",
            base + "/spectro-packs/archive/easel-third-party",
            base + "/images/first",
            base + "/images/second");
    JsonNode versions = packs.json(packs.call("GET", "/api/v1/packs?registry=" + base, null));
    assertThat(versions.get("items")).hasSize(2);
    assertThat(packs.spoolIsEmpty()).isTrue();
  }

  /** A refused bundle: the problem's type, nothing in the registry, no file, no upload record. */
  private void assertRefused(String id, byte[] bundle, int status, String type) throws Exception {
    String base = baseOf(packs, id);
    int uploadsBefore =
        packs.json(packs.call("GET", "/api/v1/registries/" + id + "/uploads", null)).size();
    HttpResponse<String> r = packs.upload(id, bundle, Map.of());
    assertThat(r.statusCode()).as(type + ": " + r.body()).isEqualTo(status);
    JsonNode p = packs.json(r);
    assertThat(p.get("type").asString())
        .as(r.body())
        .isEqualTo("https://easel.dev/problems/" + type);
    assertThat(p.get("detail").asString()).isNotBlank();
    assertThat(repositories(base + "/")).as("pushed for " + type).isEmpty();
    assertThat(packs.spoolIsEmpty()).as("files left for " + type).isTrue();
    assertThat(packs.json(packs.call("GET", "/api/v1/registries/" + id + "/uploads", null)).size())
        .isEqualTo(uploadsBefore);
  }

  @Test
  void theMaliciousCorpusIsRefusedWithNothingPushedAndNoFileLeft() throws Exception {
    String id = newRegistry(packs);
    String pj = TestBundles.packJson("evil", "1.0.0", "addon");
    byte[] values = "a: 1\n".getBytes(StandardCharsets.UTF_8);

    Map<String, byte[]> traversal = new LinkedHashMap<>();
    traversal.put("evil-1.0.0/pack.json", pj.getBytes(StandardCharsets.UTF_8));
    traversal.put("evil-1.0.0/values.yaml", values);
    traversal.put("../../etc/cron.d/evil", values);
    assertRefused(id, TestBundles.tarGz(traversal), 422, "unsafe-path");

    Map<String, byte[]> absolute = new LinkedHashMap<>();
    absolute.put("/etc/passwd", values);
    assertRefused(id, TestBundles.tarGz(absolute), 422, "unsafe-path");

    assertRefused(
        id, TestBundles.packArchive("evil", "v1.2", "addon", "a: 1\n"), 422, "invalid-pack");
    assertRefused(
        id,
        TestBundles.tarGz(
            Map.of(
                "p/pack.json",
                "{\"name\":\"evil\",\"version\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8),
                "p/values.yaml",
                values)),
        422,
        "invalid-pack");
    assertRefused(
        id,
        TestBundles.tarGz(
            Map.of(
                "p/pack.json",
                ("{\"name\":\"evil\",\"displayName\":\"e\",\"version\":\"1.0.0\",\"layer\":\"addon\","
                        + "\"constraints\":{\"dependencies\":[{\"packName\":\"k\",\"layer\":\"k8s\",\"type\":\"sometimes\"}]}}")
                    .getBytes(StandardCharsets.UTF_8),
                "p/values.yaml",
                values)),
        422,
        "invalid-pack");

    byte[] pack = TestBundles.packArchive("good", "1.0.0", "addon", "a: 1\n");
    TestBundles.Layout tampered =
        new TestBundles.Layout().pack(pack, "spectro-packs/archive/good:1.0.0");
    String layerDigest = TestBundles.digest(pack);
    tampered.tamper(layerDigest, "something else".getBytes(StandardCharsets.UTF_8));
    assertRefused(id, tampered.bundle(), 422, "digest-mismatch");

    TestBundles.Layout missing =
        new TestBundles.Layout().pack(pack, "spectro-packs/archive/good:1.0.0");
    missing.drop(layerDigest);
    assertRefused(id, missing.bundle(), 422, "missing-blob");

    byte[] whole = new TestBundles.Layout().pack(pack, "spectro-packs/archive/good:1.0.0").bundle();
    assertRefused(id, Arrays.copyOf(whole, whole.length / 2), 422, "truncated");

    TestBundles.Layout wrongType = new TestBundles.Layout();
    byte[] notAManifest =
        "{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}".getBytes(StandardCharsets.UTF_8);
    wrongType.entry(notAManifest, "text/plain", "images/x:1");
    assertRefused(id, wrongType.bundle(), 422, "wrong-media-type");

    TestBundles.Layout misplaced =
        new TestBundles.Layout().pack(pack, "spectro-packs/archive/other:1.0.0");
    assertRefused(id, misplaced.bundle(), 422, "pack-ref-mismatch");

    assertRefused(
        id,
        "just some text, not an archive".getBytes(StandardCharsets.UTF_8),
        415,
        "unsupported-bundle");
  }

  @Test
  void aBundleOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    String id = newRegistry(packs);
    // Only the headers are sent: the answer must come without a byte of the declared 100 GB.
    URI base = URI.create(packs.base);
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/v1/registries/"
                      + id
                      + "/bundles HTTP/1.1\r\nHost: x\r\n"
                      + "Authorization: "
                      + TestIdentity.bearer(Role.OPERATOR)
                      + "\r\n"
                      + "Content-Type: application/octet-stream\r\nContent-Length: 100000000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      // The answer comes at once; the server may then wait for the body it will not read.
      StringBuilder answer = new StringBuilder();
      java.io.InputStream in = socket.getInputStream();
      int b;
      while (!answer.toString().contains("bundle-too-large") && (b = in.read()) >= 0) {
        answer.append((char) b);
      }
      assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("bundle-too-large");
    }
    assertThat(packs.spoolIsEmpty()).isTrue();
  }

  @Test
  void aSignedBundleIsCheckedAgainstTheTrustedKeys() throws Exception {
    String id = newRegistry(packs);
    byte[] archive = TestBundles.packArchive("signed", "1.0.0", "addon", "a: 1\n");
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(trusted.getPrivate());
    s.update(archive);
    String sig = Base64.getEncoder().encodeToString(s.sign());
    JsonNode u =
        packs.awaitUpload(
            packs
                .json(packs.upload(id, archive, Map.of("Bundle-Signature", sig)))
                .get("id")
                .asString());
    assertThat(u.get("signed").asBoolean()).isTrue();
    assertThat(u.get("signatureKey").asString()).isEqualTo("release.pem");

    byte[] other = TestBundles.packArchive("signed", "1.0.1", "addon", "a: 1\n");
    HttpResponse<String> bad = packs.upload(id, other, Map.of("Bundle-Signature", sig));
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(packs.json(bad).get("type").asString()).endsWith("/bad-signature");
    HttpResponse<String> garbled = packs.upload(id, other, Map.of("Bundle-Signature", "***"));
    assertThat(garbled.statusCode()).isEqualTo(400);
    assertThat(packs.spoolIsEmpty()).isTrue();
  }

  @Test
  void anUnsignedBundleIsRefusedWhenSignaturesAreRequired() throws Exception {
    String id = newRegistry(strict);
    HttpResponse<String> r =
        strict.upload(
            id, TestBundles.packArchive("unsigned", "1.0.0", "addon", "a: 1\n"), Map.of());
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(strict.json(r).get("type").asString()).endsWith("/unsigned-bundle");
    assertThat(repositories(baseOf(strict, id) + "/")).isEmpty();
  }

  /** Runs skopeo with a home of its own; answers its output, failing on a non-zero exit. */
  private static String skopeo(Path home, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("skopeo"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + "\n" + out).isZero();
    return out;
  }

  @Test
  void skopeoReadsTheBundleLayoutAndABundleSkopeoWroteIsAccepted() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "skopeo"))),
        "skopeo is not installed (apt install skopeo)");
    Path home = Files.createTempDirectory("easel-skopeo-home");
    String host = URI.create(registry.baseUrl()).getAuthority();
    String base = "k" + UUID.randomUUID().toString().substring(0, 8);
    // Easel's layout, read by skopeo: an image copied from it into the registry.
    TestBundles.Layout layout =
        new TestBundles.Layout()
            .image(List.of("layer one".getBytes(StandardCharsets.UTF_8)), "images/app:v1");
    Path dir = Files.createTempDirectory("easel-layout");
    for (Map.Entry<String, byte[]> e : layout.entries().entrySet()) {
      Files.createDirectories(dir.resolve(e.getKey()).getParent());
      Files.write(dir.resolve(e.getKey()), e.getValue());
    }
    skopeo(
        home,
        "copy",
        "--dest-tls-verify=false",
        "oci:" + dir + ":images/app:v1",
        "docker://" + host + "/" + base + "/from-layout:v1");
    assertThat(
            registryGet(
                    "/v2/" + base + "/from-layout/manifests/v1",
                    "application/vnd.oci.image.manifest.v1+json")
                .statusCode())
        .isEqualTo(200);

    // A layout skopeo wrote, bundled and uploaded: pack-manager pushes it.
    Path written = Files.createTempDirectory("easel-skopeo-layout");
    skopeo(
        home,
        "copy",
        "--src-tls-verify=false",
        "docker://" + host + "/" + base + "/from-layout:v1",
        "oci:" + written + ":images/copied:v2");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (java.util.stream.Stream<Path> files = Files.walk(written)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        entries.put(written.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    String id = newRegistry(packs);
    HttpResponse<String> r = packs.upload(id, TestBundles.tarZst(entries), Map.of());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode u = packs.awaitUpload(packs.json(r).get("id").asString());
    assertThat(u.get("state").asString()).as(u.toString()).isEqualTo("COMPLETED");
    assertThat(u.get("artifacts").get(0).asString())
        .isEqualTo(baseOf(packs, id) + "/images/copied:v2");
  }

  @Test
  void anUploadToAnUnknownRegistryOrAnUnknownUploadIsNotFound() throws Exception {
    HttpResponse<String> r = packs.upload(UUID.randomUUID().toString(), new byte[] {1}, Map.of());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(packs.call("GET", "/api/v1/uploads/" + UUID.randomUUID(), null).statusCode())
        .isEqualTo(404);
    assertThat(packs.call("GET", "/api/v1/uploads/not-a-uuid", null).statusCode()).isEqualTo(400);
  }
}
