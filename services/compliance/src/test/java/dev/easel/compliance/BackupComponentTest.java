package dev.easel.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.run.StateDir;
import dev.easel.agent.simulate.Simulator;
import dev.easel.compliance.application.Backups;
import dev.easel.compliance.support.Packs;
import dev.easel.compliance.support.RunningCompliance;
import dev.easel.contracts.ContractRegistry;
import dev.easel.contracts.compliance.BackupCompleted;
import dev.easel.contracts.compliance.BackupDiscovered;
import dev.easel.contracts.compliance.BackupProgressed;
import dev.easel.contracts.compliance.BackupRemoved;
import dev.easel.contracts.compliance.FeatureEnabled;
import dev.easel.contracts.compliance.RestoreCompleted;
import dev.easel.testing.EventStream;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.RunningNodeDiscovery;
import dev.easel.testing.RunningS3;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

/**
 * Backups and restores for real: compliance in this JVM, the real node-discovery as its own
 * process, simulated agents that act as Velero and write its object layout through the S3 API, and
 * a real S3-compatible server (S3Proxy) as the location.
 */
@ExtendWith(OutputCaptureExtension.class)
class BackupComponentTest {

  private static final String HINT = "compliance_backups";
  private static final Duration WAIT = Duration.ofSeconds(90);

  private static RunningNodeDiscovery discovery;
  private static RunningCompliance compliance;
  private static Simulator fleet;
  private static EventStream events;
  private static List<UUID> free;
  private static RunningS3 s3;

  @BeforeAll
  static void start() throws Exception {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.nodes.events", "easel.nodes.commands", "easel.nodes.replies");
    s3 = RunningS3.shared();
    discovery =
        RunningNodeDiscovery.start(
            "compliance_backup_nodes",
            List.of("--easel.nodes.artifacts.dir=" + Files.createTempDirectory("easel-artifacts")));
    compliance = RunningCompliance.start(HINT, "easel.nodes.events", Map.of());
    events = EventStream.watch(ContractRegistry.withShipped(List.of()), "easel.compliance.events");
    compliance.sendPackEvent("r", Packs.added(Packs.THIRD_PARTY, "1.0.0"));
    fleet =
        new Simulator(
            new Simulator.Options(
                discovery.base,
                discovery.registrationToken(),
                30,
                new StateDir(Files.createTempDirectory("easel-sim")),
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Map.of(),
                0.0,
                List.of(),
                Duration.ofSeconds(1),
                true,
                8,
                null),
            nanos -> {},
            null);
    fleet.registerAll();
    fleet.startHeartbeats(Duration.ofSeconds(1));
    fleet.startPlans();
    free = new ArrayList<>(fleet.nodeIds());
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {fleet, events, compliance, discovery}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** A running cluster of three fresh nodes with backup-restore enabled. */
  private static synchronized UUID cluster(String name) throws Exception {
    List<UUID> nodes = new ArrayList<>(free.subList(0, 3));
    free.subList(0, 3).clear();
    UUID id = UUID.randomUUID();
    compliance.sendClusterEvent(id, Packs.running(id, name, "1.0.0", nodes));
    String features = "/api/v1/clusters/" + id + "/compliance/features";
    Awaitility.await(name + " known")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> compliance.call("GET", features, null).statusCode() == 200);
    HttpResponse put = new HttpResponse(compliance.call("PUT", features + "/backup-restore", null));
    assertThat(put.status).as(put.body).isIn(200, 202);
    events
        .andWaitForEventOfType(FeatureEnabled.class)
        .matching(e -> e.clusterId().equals(id) && e.feature().equals("backup-restore"))
        .within(WAIT)
        .toArrive();
    return id;
  }

  /** The response's status and body, kept together for assertion messages. */
  record HttpResponse(int status, String body) {
    HttpResponse(java.net.http.HttpResponse<String> r) {
      this(r.statusCode(), r.body());
    }
  }

  private static String locationBody(String name, String bucket, String secret, String extra) {
    return "{\"name\":\""
        + name
        + "\",\"provider\":\"minio\",\"bucket\":\""
        + bucket
        + "\",\"prefix\":\"velero/"
        + name
        + "\",\"region\":\"us-east-1\",\"endpoint\":\""
        + s3.endpoint()
        + "\",\"credentials\":{\"accessKeyId\":\""
        + s3.accessKey()
        + "\",\"secretAccessKey\":\""
        + secret
        + "\"}"
        + extra
        + "}";
  }

  private static JsonNode location(String name) throws Exception {
    String bucket = s3.newBucket();
    java.net.http.HttpResponse<String> r =
        compliance.call(
            "POST", "/api/v1/backup-locations", locationBody(name, bucket, s3.secretKey(), ""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return compliance.json(r);
  }

  private static JsonNode backup(UUID cluster, String body) throws Exception {
    java.net.http.HttpResponse<String> r =
        compliance.call("POST", "/api/v1/clusters/" + cluster + "/backups", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return compliance.json(r);
  }

  private static JsonNode awaitFinished(String path) {
    JsonNode[] last = new JsonNode[1];
    Awaitility.await(path + " finished")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = compliance.json(compliance.call("GET", path, null));
              String s = last[0].get("state").asString();
              return !s.equals("New") && !s.equals("InProgress");
            });
    return last[0];
  }

  private static List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    for (S3Object o :
        s3.client()
            .listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()) {
      out.add(o.key());
    }
    return out;
  }

  @Test
  void aBackupAndARestoreIntoAnotherClusterRunEndToEndThroughTheBucket() throws Exception {
    UUID source = cluster("backup-source");
    UUID target = cluster("backup-target");
    JsonNode loc = location("e2e");
    String bucket = loc.get("bucket").asString();

    JsonNode b =
        backup(
            source,
            "{\"location\":\"e2e\",\"includeNamespaces\":[\"shop\",\"billing\"],"
                + "\"includeClusterResources\":\"Always\",\"includeDisks\":false,\"ttlHours\":48}");
    UUID id = UUID.fromString(b.get("id").asString());
    String name = b.get("name").asString();
    assertThat(name).startsWith("easel-backup-source-");
    assertThat(b.get("state").asString()).isEqualTo("New");

    events
        .andWaitForEventOfType(BackupProgressed.class)
        .matching(e -> e.backupId().equals(id) && e.phase().equals("InProgress"))
        .within(WAIT)
        .toArrive();
    JsonNode done = awaitFinished("/api/v1/backups/" + id);
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("Completed");
    assertThat(done.get("itemsBackedUp").asLong())
        .isEqualTo(done.get("totalItems").asLong())
        .isPositive();
    assertThat(done.get("includeClusterResources").asString()).isEqualTo("Always");
    events
        .andWaitForEventOfType(BackupCompleted.class)
        .matching(e -> e.backupId().equals(id))
        .within(WAIT)
        .toArrive();

    // Velero's layout, written through the S3 API.
    String dir = "velero/e2e/backups/" + name + "/";
    assertThat(keys(bucket, dir))
        .contains(dir + "velero-backup.json", dir + name + ".tar.gz", dir + name + "-logs.gz");

    // Listed from the bucket: a sync reads it and keeps it as Easel's.
    JsonNode sync =
        compliance.json(
            compliance.call(
                "POST", "/api/v1/backup-locations/" + loc.get("id").asString() + "/sync", null));
    assertThat(sync.get("listed").asInt()).isEqualTo(1);
    assertThat(sync.get("added").asInt()).isZero();
    JsonNode listed =
        compliance.json(
            compliance.call(
                "GET", "/api/v1/backup-locations/" + loc.get("id").asString() + "/backups", null));
    assertThat(listed.get("backups").get(0).get("id").asString()).isEqualTo(id.toString());

    java.net.http.HttpResponse<String> r =
        compliance.call(
            "POST",
            "/api/v1/clusters/" + target + "/restores",
            "{\"backup\":\""
                + name
                + "\",\"namespaceMappings\":{\"shop\":\"shop-copy\"},\"restorePVs\":false}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    UUID restore = UUID.fromString(compliance.json(r).get("id").asString());
    JsonNode restored = awaitFinished("/api/v1/restores/" + restore);
    assertThat(restored.get("state").asString()).as(restored.toString()).isEqualTo("Completed");
    assertThat(restored.get("itemsRestored").asLong()).isEqualTo(done.get("totalItems").asLong());
    assertThat(restored.get("clusterId").asString()).isEqualTo(target.toString());
    events
        .andWaitForEventOfType(RestoreCompleted.class)
        .matching(e -> e.restoreId().equals(restore))
        .within(WAIT)
        .toArrive();
    String rname = restored.get("name").asString();
    assertThat(keys(bucket, "velero/e2e/restores/" + rname + "/")).isNotEmpty();
  }

  @Test
  void locationsThatDoNotWorkAreRefusedNamingWhatFailedAndNothingIsKept() throws Exception {
    String bucket = s3.newBucket();
    java.net.http.HttpResponse<String> wrongKey =
        compliance.call(
            "POST", "/api/v1/backup-locations", locationBody("wrong-key", bucket, "not-it", ""));
    assertThat(wrongKey.statusCode()).as(wrongKey.body()).isEqualTo(422);
    assertThat(compliance.json(wrongKey).get("failure").asString()).isEqualTo("credentials");
    assertThat(wrongKey.body()).doesNotContain("not-it");

    java.net.http.HttpResponse<String> noBucket =
        compliance.call(
            "POST",
            "/api/v1/backup-locations",
            locationBody(
                "no-bucket",
                "easel-nowhere-" + UUID.randomUUID().toString().substring(0, 8),
                s3.secretKey(),
                ""));
    assertThat(noBucket.statusCode()).as(noBucket.body()).isEqualTo(422);
    assertThat(compliance.json(noBucket).get("failure").asString()).isEqualTo("bucket-missing");

    RunningS3 tls = RunningS3.https();
    String tlsBucket = tls.newBucket();
    String unrelated =
        RunningCompliance.JSON.writeValueAsString(RunningS3.unrelatedCaCertificatePem());
    String badCa =
        "{\"name\":\"bad-ca\",\"provider\":\"minio\",\"bucket\":\""
            + tlsBucket
            + "\",\"endpoint\":\""
            + tls.endpoint()
            + "\",\"caCertificate\":"
            + unrelated
            + ",\"credentials\":{\"accessKeyId\":\""
            + tls.accessKey()
            + "\",\"secretAccessKey\":\""
            + tls.secretKey()
            + "\"}}";
    java.net.http.HttpResponse<String> untrusted =
        compliance.call("POST", "/api/v1/backup-locations", badCa);
    assertThat(untrusted.statusCode()).as(untrusted.body()).isEqualTo(422);
    assertThat(compliance.json(untrusted).get("failure").asString()).isEqualTo("tls");

    java.net.http.HttpResponse<String> goodCa =
        compliance.call(
            "POST",
            "/api/v1/backup-locations",
            badCa
                .replace("\"bad-ca\"", "\"good-ca\"")
                .replace(
                    unrelated, RunningCompliance.JSON.writeValueAsString(tls.caCertificatePem())));
    assertThat(goodCa.statusCode()).as(goodCa.body()).isEqualTo(201);

    JsonNode all = compliance.json(compliance.call("GET", "/api/v1/backup-locations", null));
    List<String> names = new ArrayList<>();
    all.get("locations").forEach(l -> names.add(l.get("name").asString()));
    assertThat(names).contains("good-ca").doesNotContain("wrong-key", "no-bucket", "bad-ca");
  }

  @Test
  void theBucketIsTheTruthBackupsMadeElsewhereAppearAndThoseDeletedOutsideDisappear()
      throws Exception {
    UUID cluster = cluster("sync-source");
    JsonNode loc = location("sync");
    String bucket = loc.get("bucket").asString();
    String locId = loc.get("id").asString();
    JsonNode b = backup(cluster, "{\"location\":\"sync\"}");
    String name = b.get("name").asString();
    assertThat(awaitFinished("/api/v1/backups/" + b.get("id").asString()).get("state").asString())
        .isEqualTo("Completed");

    // Another appliance's Velero wrote a backup into the same bucket.
    S3Client client = s3.client();
    String json =
        new String(
            client
                .getObjectAsBytes(
                    x ->
                        x.bucket(bucket).key("velero/sync/backups/" + name + "/velero-backup.json"))
                .asByteArray(),
            StandardCharsets.UTF_8);
    String other = "elsewhere-nightly-20261101000000";
    String theirs =
        json.replace(name, other)
            .replaceAll("\"easel.dev/backup-id\":\"[^\"]+\"", "\"app\":\"other\"")
            .replaceAll("\"easel.dev/cluster-id\":\"[^\"]+\",?", "");
    client.putObject(
        x -> x.bucket(bucket).key("velero/sync/backups/" + other + "/velero-backup.json"),
        RequestBody.fromString(theirs));

    JsonNode first =
        compliance.json(
            compliance.call("POST", "/api/v1/backup-locations/" + locId + "/sync", null));
    assertThat(first.get("added").asInt()).as(first.toString()).isEqualTo(1);
    events
        .andWaitForEventOfType(BackupDiscovered.class)
        .matching(e -> e.name().equals(other))
        .within(WAIT)
        .toArrive();
    JsonNode listed =
        compliance.json(
            compliance.call("GET", "/api/v1/backup-locations/" + locId + "/backups", null));
    List<String> names = new ArrayList<>();
    listed.get("backups").forEach(x -> names.add(x.get("name").asString()));
    assertThat(names).containsExactlyInAnyOrder(name, other);

    // Easel's own backup deleted outside Easel, with everything under it.
    for (String key : keys(bucket, "velero/sync/backups/" + name + "/")) {
      client.deleteObject(x -> x.bucket(bucket).key(key));
    }
    JsonNode second =
        compliance.json(
            compliance.call("POST", "/api/v1/backup-locations/" + locId + "/sync", null));
    assertThat(second.get("removed").asInt()).as(second.toString()).isEqualTo(1);
    assertThat(
            compliance.call("GET", "/api/v1/backups/" + b.get("id").asString(), null).statusCode())
        .isEqualTo(404);
    events
        .andWaitForEventOfType(BackupRemoved.class)
        .matching(e -> e.name().equals(name) && e.reason().equals("gone"))
        .within(WAIT)
        .toArrive();
  }

  @Test
  void anExpiredBackupIsDeletedFromItsLocationToo() throws Exception {
    UUID cluster = cluster("expiry");
    JsonNode loc = location("expiry");
    String bucket = loc.get("bucket").asString();
    JsonNode b = backup(cluster, "{\"location\":\"expiry\",\"ttlHours\":1}");
    String id = b.get("id").asString();
    String name = b.get("name").asString();
    assertThat(awaitFinished("/api/v1/backups/" + id).get("state").asString())
        .isEqualTo("Completed");
    assertThat(keys(bucket, "velero/expiry/backups/" + name + "/")).isNotEmpty();

    // Two hours later.
    new JdbcTemplate(compliance.db.dataSource())
        .update("UPDATE backups SET expires_at = now() - interval '1 hour' WHERE id = ?::uuid", id);
    int expired = compliance.app.getBean(Backups.class).expire();

    assertThat(expired).isEqualTo(1);
    assertThat(keys(bucket, "velero/expiry/backups/" + name + "/")).isEmpty();
    assertThat(compliance.call("GET", "/api/v1/backups/" + id, null).statusCode()).isEqualTo(404);
    events
        .andWaitForEventOfType(BackupRemoved.class)
        .matching(e -> e.name().equals(name) && e.reason().equals("expired"))
        .within(WAIT)
        .toArrive();
  }

  @Test
  void aDeletedBackupLeavesItsLocationAndARunningOneCannotBeDeleted() throws Exception {
    UUID cluster = cluster("delete");
    JsonNode loc = location("delete");
    String bucket = loc.get("bucket").asString();
    JsonNode b = backup(cluster, "{\"location\":\"delete\"}");
    String id = b.get("id").asString();
    java.net.http.HttpResponse<String> early =
        compliance.call("DELETE", "/api/v1/backups/" + id, null);
    assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
    assertThat(awaitFinished("/api/v1/backups/" + id).get("state").asString())
        .isEqualTo("Completed");

    java.net.http.HttpResponse<String> del =
        compliance.call("DELETE", "/api/v1/backups/" + id, null);
    assertThat(del.statusCode()).as(del.body()).isEqualTo(204);
    assertThat(keys(bucket, "velero/delete/backups/")).isEmpty();
  }

  @Test
  void aScheduledBackupMissedWhileTheServiceWasDownRunsOnceAfterItsRestart() throws Exception {
    UUID cluster = cluster("scheduled");
    location("scheduled");
    String schedule = "/api/v1/clusters/" + cluster + "/backup-schedule";
    java.net.http.HttpResponse<String> put =
        compliance.call(
            "PUT",
            schedule,
            "{\"preset\":\"weekly\",\"timeZone\":\"America/New_York\",\"namePrefix\":\"nightly\","
                + "\"backup\":{\"location\":\"scheduled\",\"includeNamespaces\":[\"shop\"]}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(Instant.parse(compliance.json(put).get("nextRunAt").asString()))
        .isAfter(Instant.now());

    var db = compliance.db;
    compliance.close();
    compliance = null;
    int moved =
        new JdbcTemplate(db.dataSource())
            .update(
                "UPDATE scheduled_tasks SET execution_time = now() - interval '15 days'"
                    + " WHERE task_instance = ?",
                cluster + ":backup");
    assertThat(moved).isEqualTo(1);
    compliance = RunningCompliance.start(HINT, "easel.nodes.events", db, Map.of());

    String history = "/api/v1/clusters/" + cluster + "/backups";
    Awaitility.await("the missed run")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                compliance.json(compliance.call("GET", history, null)).get("backups").size() == 1);
    JsonNode run = compliance.json(compliance.call("GET", history, null)).get("backups").get(0);
    assertThat(run.get("trigger").asString()).isEqualTo("scheduled");
    assertThat(run.get("name").asString()).startsWith("nightly-scheduled-");
    assertThat(awaitFinished("/api/v1/backups/" + run.get("id").asString()).get("state").asString())
        .isEqualTo("Completed");
    Awaitility.await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                compliance.json(compliance.call("GET", history, null)).get("backups").size() == 1);
    assertThat(
            Instant.parse(
                compliance
                    .json(compliance.call("GET", schedule, null))
                    .get("nextRunAt")
                    .asString()))
        .isAfter(Instant.now());
  }

  @Test
  void credentialsNeverAppearInPlansOutputsEventsOrLogs(CapturedOutput output) throws Exception {
    UUID cluster = cluster("secrets");
    JsonNode loc = location("secrets");
    String secret = s3.secretKey();
    JsonNode b = backup(cluster, "{\"location\":\"secrets\"}");
    String id = b.get("id").asString();
    assertThat(awaitFinished("/api/v1/backups/" + id).get("state").asString())
        .isEqualTo("Completed");

    // The location as the API shows it.
    String shown =
        compliance.call("GET", "/api/v1/backup-locations/" + loc.get("id").asString(), null).body();
    assertThat(shown).doesNotContain(secret).contains("\"set\":true");

    // The plan as node-discovery shows it, with each step's output.
    JsonNode plan = discovery.plan("backup-" + id);
    assertThat(plan.toString()).contains("velero-credentials").doesNotContain(secret);
    assertThat(plan.toString()).contains("/var/lib/easel/velero/easel-secrets.cloud");

    // Every record on every topic of the broker: events, commands and replies.
    int searched = 0;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().kafkaBootstrapServers());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (Map.Entry<String, List<PartitionInfo>> t : c.listTopics().entrySet()) {
        for (PartitionInfo i : t.getValue()) {
          parts.add(new TopicPartition(i.topic(), i.partition()));
        }
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
      byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofSeconds(1))) {
          searched++;
          assertThat(contains(r.value(), needle))
              .as("record %s of %s holds the secret", r.offset(), r.topic())
              .isFalse();
          r.headers()
              .forEach(
                  h ->
                      assertThat(contains(h.value(), needle))
                          .as("a header of %s holds the secret", r.topic())
                          .isFalse());
        }
      }
    }
    assertThat(searched).isPositive();

    // The logs of both services.
    assertThat(output.getAll()).doesNotContain(secret);
    assertThat(discovery.logText()).doesNotContain(secret);

    // And compliance's database holds it sealed only.
    Integer clear =
        new JdbcTemplate(compliance.db.dataSource())
            .queryForObject(
                "SELECT count(*) FROM backup_locations WHERE position(?::bytea in credentials) > 0",
                Integer.class,
                secret);
    assertThat(clear).isZero();
  }

  @Test
  void badRequestsGetAProblemAndChangeNothing() throws Exception {
    String bucket = s3.newBucket();
    String base = "/api/v1/backup-locations";
    int before = compliance.json(compliance.call("GET", base, null)).get("locations").size();

    // Malformed.
    java.net.http.HttpResponse<String> malformed = compliance.call("POST", base, "{\"name\":");
    assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));

    // Every field problem at once.
    java.net.http.HttpResponse<String> invalid =
        compliance.call(
            "POST",
            base,
            "{\"name\":\"Bad Name\",\"provider\":\"ftp\",\"bucket\":\"x\","
                + "\"endpoint\":\"ftp://somewhere\",\"caCertificate\":\"not a pem\"}");
    assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
    List<String> fields = new ArrayList<>();
    compliance.json(invalid).get("errors").forEach(e -> fields.add(e.get("field").asString()));
    assertThat(fields).contains("name", "provider", "bucket", "caCertificate", "credentials");

    // Oversized: refused before it is read.
    String big = "{\"name\":\"big\",\"caCertificate\":\"" + "A".repeat(200_000) + "\"}";
    assertThat(compliance.call("POST", base, big).statusCode()).isEqualTo(413);

    // Unauthorized: a viewer may look, not add.
    java.net.http.HttpResponse<String> viewer =
        compliance.call(
            "POST",
            base,
            locationBody("viewer", bucket, s3.secretKey(), ""),
            dev.easel.contracts.api.Role.VIEWER);
    assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(403);

    // Duplicated: the second location of a name is refused.
    JsonNode first = location("twice");
    java.net.http.HttpResponse<String> again =
        compliance.call("POST", base, locationBody("twice", bucket, s3.secretKey(), ""));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

    // Out of order: a change made on an old version, a backup of a cluster without the feature,
    // a restore of a backup that is not finished.
    String one = base + "/" + first.get("id").asString();
    java.net.http.HttpResponse<String> stale =
        compliance.callIfMatch("PATCH", one, "{\"region\":\"eu-west-1\"}", "\"0\"");
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
    UUID bare = UUID.randomUUID();
    compliance.sendClusterEvent(
        bare, Packs.running(bare, "bare", "1.0.0", List.of(free.remove(0))));
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                compliance
                        .call("GET", "/api/v1/clusters/" + bare + "/compliance/features", null)
                        .statusCode()
                    == 200);
    java.net.http.HttpResponse<String> noFeature =
        compliance.call(
            "POST", "/api/v1/clusters/" + bare + "/backups", "{\"location\":\"twice\"}");
    assertThat(noFeature.statusCode()).as(noFeature.body()).isEqualTo(409);
    assertThat(compliance.json(noFeature).get("type").asString()).endsWith("feature-not-enabled");

    UUID cluster = cluster("order");
    JsonNode running = backup(cluster, "{\"location\":\"twice\"}");
    java.net.http.HttpResponse<String> tooEarly =
        compliance.call(
            "POST",
            "/api/v1/clusters/" + cluster + "/restores",
            "{\"backup\":\"" + running.get("id").asString() + "\"}");
    assertThat(tooEarly.statusCode()).as(tooEarly.body()).isEqualTo(409);
    java.net.http.HttpResponse<String> second =
        compliance.call(
            "POST", "/api/v1/clusters/" + cluster + "/backups", "{\"location\":\"twice\"}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
    java.net.http.HttpResponse<String> inUse = compliance.call("DELETE", one, null);
    assertThat(inUse.statusCode()).as(inUse.body()).isEqualTo(409);
    awaitFinished("/api/v1/backups/" + running.get("id").asString());

    int after = compliance.json(compliance.call("GET", base, null)).get("locations").size();
    assertThat(after).isEqualTo(before + 1);
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    if (hay == null) {
      return false;
    }
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
