package dev.easel.packs.adapters.in.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.EaselContracts;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.RegistrySynced;
import dev.easel.packs.adapters.out.oci.OciClient;
import dev.easel.packs.support.RunningPackManager;
import dev.easel.packs.support.TestBundles;
import dev.easel.testing.EventStream;
import dev.easel.testing.OciRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The catalogue sync against packs pushed to a real registry by other tools. */
class SyncApiTest {

  private static final ContractRegistry CONTRACTS = ContractRegistry.of(EaselContracts.ALL);

  private static RunningPackManager packs;
  private static OciRegistry registry;
  private static OciClient oci;

  @BeforeAll
  static void start() {
    registry = OciRegistry.shared();
    oci =
        new OciClient(
            URI.create(registry.baseUrl()), null, null, null, Duration.ofSeconds(20), t -> {});
    packs = RunningPackManager.start("sync");
  }

  @AfterAll
  static void stop() {
    if (packs != null) {
      packs.close();
    }
  }

  /** Pushes a pack as another tool would: the layer and config media types are the caller's. */
  private static String push(
      String repo, String tag, byte[] archive, String layerType, String configType, byte[] config)
      throws Exception {
    String layer = OciClient.digestOf(archive);
    oci.pushBlob(repo, layer, archive);
    String configDigest = OciClient.digestOf(config);
    oci.pushBlob(repo, configDigest, config);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
            + "{\"mediaType\":\""
            + configType
            + "\",\"digest\":\""
            + configDigest
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\""
            + layerType
            + "\",\"digest\":\""
            + layer
            + "\",\"size\":"
            + archive.length
            + ",\"annotations\":{\"org.opencontainers.image.title\":\"pack.tar.gz\"}}]}";
    return oci.putManifest(
        repo,
        tag,
        "application/vnd.oci.image.manifest.v1+json",
        manifest.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aSyncFindsPacksWhateverTheirLayerTypeAndASecondSyncFetchesNoManifest() throws Exception {
    String base = "s" + UUID.randomUUID().toString().substring(0, 8);
    String prefix = base + "/spectro-packs/archive/";
    byte[] oras = "{}".getBytes(StandardCharsets.UTF_8);
    // As `oras push` (1.0) writes it: a plain tar media type and an unknown config type.
    push(
        prefix + "hello",
        "1.1.1",
        TestBundles.packArchive("hello", "1.1.1", "addon", "a: 1\n"),
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.unknown.config.v1+json",
        oras);
    push(
        prefix + "hello",
        "1.2.0",
        TestBundles.packArchive("hello", "1.2.0", "addon", "a: 2\n"),
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.empty.v1+json",
        oras);
    push(
        prefix + "calico",
        "3.29.2",
        TestBundles.packArchive("calico", "3.29.2", "cni", "a: 3\n"),
        "application/octet-stream",
        "application/vnd.oci.empty.v1+json",
        oras);
    // A pack whose pack.json disagrees with where it lives is reported, not catalogued.
    push(
        prefix + "liar",
        "1.0.0",
        TestBundles.packArchive("honest", "1.0.0", "addon", "a: 4\n"),
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.empty.v1+json",
        oras);
    // Not a pack: outside spectro-packs/archive, never read.
    push(
        base + "/images/app",
        "v1",
        "not a pack".getBytes(StandardCharsets.UTF_8),
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.empty.v1+json",
        oras);

    String id = packs.addPlainRegistry(base, registry.baseUrl(), base);
    // The registry's first sync starts when it is added; this one comes after it.
    JsonNode first = packs.syncNow(id);
    assertThat(first.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(first.get("errors").toString()).contains("liar").contains("honest");
    JsonNode list = packs.json(packs.call("GET", "/api/v1/packs?registry=" + base, null));
    assertThat(
            list.get("items")
                .valueStream()
                .map(i -> i.get("name").asString() + ":" + i.get("version").asString()))
        .containsExactly("calico:3.29.2", "hello:1.2.0", "hello:1.1.1");

    // Nothing changed: no manifest is fetched, not even the refused one, which is still reported.
    JsonNode second = packs.syncNow(id);
    assertThat(second.get("manifestsFetched").asInt()).isZero();
    assertThat(second.get("packsAdded").asInt()).isZero();
    assertThat(second.get("packsRemoved").asInt()).isZero();
    assertThat(second.get("errors").toString()).contains("liar");
  }

  @Test
  void aPackDeletedInTheRegistryLeavesTheCatalogueWithAnEvent() throws Exception {
    String base = "d" + UUID.randomUUID().toString().substring(0, 8);
    String repo = base + "/spectro-packs/archive/gone";
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    String digest =
        push(
            repo,
            "1.0.0",
            TestBundles.packArchive("gone", "1.0.0", "addon", "a: 1\n"),
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.empty.v1+json",
            empty);
    String id = packs.addPlainRegistry(base, registry.baseUrl(), base);
    packs.syncNow(id);
    assertThat(packs.call("GET", "/api/v1/packs/gone/versions", null).statusCode()).isEqualTo(200);

    HttpResponse<Void> deleted =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.baseUrl() + "/v2/" + repo + "/manifests/" + digest))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(deleted.statusCode()).isEqualTo(202);
    try (EventStream events = EventStream.watch(CONTRACTS, "easel.packs.events")) {
      JsonNode s = packs.syncNow(id);
      assertThat(s.get("packsRemoved").asInt()).isEqualTo(1);
      PackRemoved removed =
          events
              .andWaitForEventOfType(PackRemoved.class)
              .matching(e -> e.registryId().toString().equals(id))
              .toArrive()
              .payload();
      assertThat(removed.name()).isEqualTo("gone");
      assertThat(removed.digest()).isEqualTo(digest);
      RegistrySynced synced =
          events
              .andWaitForEventOfType(RegistrySynced.class)
              .matching(e -> e.registryId().toString().equals(id))
              .toArrive()
              .payload();
      assertThat(synced.packsRemoved()).isEqualTo(1);
      assertThat(synced.packs()).isZero();
    }
    assertThat(packs.call("GET", "/api/v1/packs/gone/versions", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theCatalogueIsReadInCursorPagesAndFilters() throws Exception {
    String base = "p" + UUID.randomUUID().toString().substring(0, 8);
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) {
      push(
          base + "/spectro-packs/archive/page-pack-" + i,
          "1.0." + i,
          TestBundles.packArchive("page-pack-" + i, "1.0." + i, i == 0 ? "os" : "addon", "a: 1\n"),
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.oci.empty.v1+json",
          empty);
    }
    String id = packs.addPlainRegistry(base, registry.baseUrl(), base);
    packs.syncNow(id);
    JsonNode p1 =
        packs.json(packs.call("GET", "/api/v1/packs?registry=" + base + "&limit=2", null));
    assertThat(p1.get("items")).hasSize(2);
    JsonNode p2 =
        packs.json(
            packs.call(
                "GET",
                "/api/v1/packs?registry=" + base + "&limit=2&cursor=" + p1.get("next").asString(),
                null));
    JsonNode p3 =
        packs.json(
            packs.call(
                "GET",
                "/api/v1/packs?registry=" + base + "&limit=2&cursor=" + p2.get("next").asString(),
                null));
    assertThat(p3.get("items")).hasSize(1);
    assertThat(p3.get("next").isNull()).isTrue();
    List<String> names =
        List.of(p1, p2, p3).stream()
            .flatMap(p -> p.get("items").valueStream())
            .map(i -> i.get("name").asString())
            .toList();
    assertThat(names)
        .containsExactly("page-pack-0", "page-pack-1", "page-pack-2", "page-pack-3", "page-pack-4");
    assertThat(
            packs
                .json(packs.call("GET", "/api/v1/packs?registry=" + base + "&layer=os", null))
                .get("items"))
        .hasSize(1);
    assertThat(
            packs
                .json(packs.call("GET", "/api/v1/packs?registry=" + base + "&q=PACK-3", null))
                .get("items"))
        .hasSize(1);
    assertThat(packs.call("GET", "/api/v1/packs?cursor=garbage", null).statusCode()).isEqualTo(400);
    assertThat(packs.call("GET", "/api/v1/packs?layer=kernel2", null).statusCode()).isEqualTo(400);
    assertThat(packs.call("GET", "/api/v1/packs?limit=100000", null).statusCode()).isEqualTo(400);
  }
}
