package dev.easel.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.easel.contracts.api.ApiRoute;
import dev.easel.contracts.api.ApiRoutes;
import dev.easel.contracts.api.Role;
import dev.easel.testing.RouteTableWalk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./easel up --demo} with node-discovery, cluster-former and pack-manager: the internal
 * registry started and registered, the appliance's packs and the third-party packs pushed and
 * catalogued, the profile published, and the management cluster formed from it on three simulated
 * machines, its timeline readable through the API; on that cluster a configuration scan, and a
 * backup into the devstack's S3Proxy that is found in its bucket and restored.
 */
class DemoTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  // The whole stack on two cores, with every demo and every route walked: more than the default.
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void theDemoPublishesTheApplianceProfileAndFormsTheManagementClusterFromIt() throws Exception {
    Assumptions.assumeTrue(
        DemoStack.possible(),
        "the devstack's internal registry needs zot or Debian's docker-registry");
    DemoStack stack = DemoStack.get();
    Path data = stack.data;
    int offset = stack.offset;
    String out = stack.output();
    assertThat(out)
        .contains("registry ")
        .contains("profile easel-appliance 1.0.0 published")
        .doesNotContain("failed");
    // Everything through the gateway, with the API token the devstack was given.
    String base = "http://127.0.0.1:" + (8080 + offset);
    token = Files.readString(data.resolve("secrets").resolve("api-token")).trim();
    assertThat(out).contains("first sign-in: user admin, one-time password ");
    JsonNode packs = get(base + "/api/v1/packs");
    assertThat(packs.get("items").valueStream().map(i -> i.get("name").asString()))
        .containsExactlyInAnyOrder(
            "kairos-ubuntu",
            "pxk-e",
            "cni-calico",
            "csi-piraeus",
            "zot",
            "easel-third-party",
            "easel-third-party-conformance");
    assertThat(packs.get("items").valueStream().map(i -> i.get("registry").asString()))
        .containsOnly("internal");
    JsonNode profile = get(base + "/api/v1/profiles/easel-appliance/versions/1.0.0");
    assertThat(profile.get("state").asString()).isEqualTo("PUBLISHED");
    JsonNode registries = get(base + "/api/v1/registries");
    assertThat(registries.get(0).get("kind").asString()).isEqualTo("internal");
    assertThat(registries.get(0).get("health").get("state").asString()).isEqualTo("HEALTHY");

    // The management cluster, formed from the appliance profile on three simulated VMs.
    assertThat(out).contains("management cluster easel-management (").contains("): RUNNING");
    String clusters = base;
    JsonNode list = get(clusters + "/api/v1/clusters");
    JsonNode mgmt = null;
    for (JsonNode c : list.get("items")) {
      if (c.get("name").asString().equals("easel-management")) {
        mgmt = c;
      }
    }
    assertThat(mgmt).as("the management cluster").isNotNull();
    assertThat(mgmt.get("name").asString()).isEqualTo("easel-management");
    assertThat(mgmt.get("kind").asString()).isEqualTo("management");
    assertThat(mgmt.get("state").asString()).isEqualTo("RUNNING");
    assertThat(mgmt.get("nodePools").get(0).get("nodes")).hasSize(3);
    JsonNode timeline =
        get(clusters + "/api/v1/clusters/" + mgmt.get("id").asString() + "/timeline");
    assertThat(timeline.get("percent").asInt()).isEqualTo(100);
    assertThat(timeline.get("entries").toString())
        .contains("install-init", "join-control-planes", "apply-layers", "\"formed\"");

    // Compliance on the management cluster: every feature available from the demo's third-party
    // packs, configuration security enabled, and a scan whose report downloads as CSV and PDF.
    assertThat(out)
        .contains("features available: 5 of 5")
        .containsPattern("configuration scan [0-9a-f-]{36}: Completed \\(pass [0-9]+, fail");
    String mgmtId = mgmt.get("id").asString();
    for (JsonNode f :
        get(base + "/api/v1/clusters/" + mgmtId + "/compliance/features").get("features")) {
      assertThat(f.get("available").asBoolean()).as(f.toString()).isTrue();
    }
    JsonNode scan =
        get(base + "/api/v1/clusters/" + mgmtId + "/scans?kind=configuration").get("scans").get(0);
    assertThat(scan.get("state").asString()).isEqualTo("Completed");
    assertThat(scan.get("summary").get("pass").asLong()).isPositive();
    String report = base + "/api/v1/scans/" + scan.get("id").asString() + "/report";
    HttpResponse<byte[]> csv = download(report + "?format=csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(new String(csv.body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("node,role,scope,rule,title,status");
    HttpResponse<byte[]> pdf = download(report + "?format=pdf");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(new String(pdf.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("%PDF-");

    // Backups into the devstack's S3Proxy, registered as a location: a backup of the management
    // cluster completes, is listed from the bucket, and is restored into the same cluster.
    String s3 = "http://127.0.0.1:" + (19000 + offset);
    assertThat(out)
        .contains("  s3proxy         " + s3 + "  (identity easel, secret in ")
        .contains("backup-restore enabled")
        .contains("location devstack added: " + s3 + " bucket velero prefix easel, Available")
        .containsPattern("backup easel-\\S+ of namespace default: Completed")
        .containsPattern("[1-9][0-9]* listed, 0 unreadable; easel-\\S+ is in the location's")
        .containsPattern("restore \\S+ into namespace default-restored: Completed");
    JsonNode location = null;
    for (JsonNode l : get(base + "/api/v1/backup-locations").get("locations")) {
      if (l.get("name").asString().equals("devstack")) {
        location = l;
      }
    }
    assertThat(location).as("the location devstack").isNotNull();
    assertThat(location.get("endpoint").asString()).isEqualTo(s3);
    assertThat(location.get("credentials").toString()).isEqualTo("{\"set\":true}");
    assertThat(location.get("health").get("state").asString()).isEqualTo("Available");
    JsonNode backup = get(base + "/api/v1/clusters/" + mgmtId + "/backups").get("backups").get(0);
    String backupName = backup.get("name").asString();
    assertThat(get(base + "/api/v1/backups/" + backup.get("id").asString()).get("state").asString())
        .isEqualTo("Completed");
    assertThat(
            get(base + "/api/v1/backup-locations/" + location.get("id").asString() + "/backups")
                .get("backups")
                .valueStream()
                .map(b -> b.get("name").asString()))
        .contains(backupName);
    JsonNode restore =
        get(base + "/api/v1/clusters/" + mgmtId + "/restores").get("restores").get(0);
    assertThat(restore.get("backup").asString()).isEqualTo(backupName);
    assertThat(restore.get("namespaceMappings").get("default").asString())
        .isEqualTo("default-restored");
    assertThat(
            get(base + "/api/v1/restores/" + restore.get("id").asString()).get("state").asString())
        .isEqualTo("Completed");
    // In the bucket as Velero lays it out, read with the devstack's own key pair.
    Path secret = data.resolve("secrets").resolve("s3-secret");
    assertThat(Files.getPosixFilePermissions(secret))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (S3Client bucket = s3Client(s3, Files.readString(secret).trim())) {
      assertThat(keys(bucket, "easel/backups/" + backupName + "/"))
          .contains("easel/backups/" + backupName + "/velero-backup.json");
      assertThat(keys(bucket, "easel/restores/" + restore.get("name").asString() + "/"))
          .isNotEmpty();
    }

    // A service's own port is no way around the gateway.
    HttpResponse<String> direct =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + (8082 + offset) + "/api/v1/clusters"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).isEqualTo(401);
    assertThat(direct.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");

    // What the devstack did through the gateway, services recorded as done by its token, and
    // audit chained it.
    String tokenName = null;
    for (JsonNode t : get(base + "/api/v1/tokens").get("items")) {
      if (t.get("createdBy").asString().equals("bootstrap")) {
        tokenName = t.get("name").asString();
      }
    }
    String actor = "token:" + tokenName;
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !get(base
                        + "/api/v1/audit/records?actor="
                        + actor
                        + "&type=dev.easel.clusters.ClusterRequested.v1")
                    .get("items")
                    .isEmpty());
    assertThat(get(base + "/api/v1/audit/verify").get("ok").asBoolean()).isTrue();

    // The merged OpenAPI document has every route of every service.
    JsonNode paths = get(base + "/v3/api-docs").get("paths");
    List<String> missing = new ArrayList<>();
    for (ApiRoute r : ApiRoutes.all()) {
      JsonNode item = paths.get(r.pattern());
      if (item == null || !item.has(r.method().toLowerCase(Locale.ROOT))) {
        missing.add(r.method() + " " + r.pattern());
      }
    }
    assertThat(missing).as("routes missing from /v3/api-docs").isEmpty();

    // Every route, for every role, through the gateway and the real services behind it; the
    // backup routes (issue #14) among them.
    assertThat(ApiRoutes.all())
        .extracting(r -> r.method() + " " + r.pattern())
        .contains(
            "POST /api/v1/backup-locations",
            "POST /api/v1/backup-locations/{id}/sync",
            "GET /api/v1/backup-locations/{id}/backups",
            "POST /api/v1/clusters/{id}/backups",
            "GET /api/v1/backups/{id}",
            "POST /api/v1/clusters/{id}/restores",
            "GET /api/v1/restores/{id}",
            "PUT /api/v1/clusters/{id}/backup-schedule");
    Map<Role, String> tokens = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      HttpResponse<String> made =
          send(
              base + "/api/v1/tokens",
              "{\"name\":\"walk-" + role.id() + "\",\"role\":\"" + role.id() + "\"}");
      assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
      tokens.put(role, JSON.readTree(made.body()).get("secret").asString());
    }
    List<String> wrong = RouteTableWalk.walk(base, tokens);
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  private static String token;

  private static HttpResponse<String> send(String url, String json) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<byte[]> download(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static S3Client s3Client(String endpoint, String secret) {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("easel", secret)))
        .build();
  }

  private static List<String> keys(S3Client s3, String prefix) {
    return s3.listObjectsV2(b -> b.bucket("velero").prefix(prefix)).contents().stream()
        .map(S3Object::key)
        .toList();
  }
}
