package dev.easel.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.agent.Json;
import dev.easel.agent.server.ServerApi;
import dev.easel.agent.simulate.SimulatedOutputs.Exit;
import dev.easel.testing.RunningS3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

/**
 * The simulated Velero against a real S3 server: the steps are the ones the compliance service
 * sends to a cluster's init node, and what it leaves in the bucket is read back with an S3 client.
 */
class SimulatedVeleroTest {

  private static final RunningS3 S3 = RunningS3.shared();
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final String BSL = "easel-archive";
  private static final String BACKUP_ID = "8c0bb5a5-0f50-4bde-a2c1-1c3d3bb9c6f4";
  private static final String CLUSTER_ID = "0d8b6c3e-5a38-4d9e-9a51-3f8c1f3f2a11";

  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<String> printed = new ArrayList<>();

  @Test
  void aBackupIsWrittenToTheLocationsBucketInVelerosLayout() throws Exception {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, "clusters/edge");

    Exit created =
        run(
            velero,
            node,
            backupCreate(
                "nightly-1",
                "--include-namespaces default,shop --exclude-namespaces kube-system"
                    + " --include-cluster-resources=true --snapshot-volumes=false"));
    clock.advance(RUN);
    JsonNode got = json(run(velero, node, backupGet("nightly-1")));

    assertThat(created.output())
        .isEqualTo(
            "Backup request \"nightly-1\" submitted successfully.\n"
                + "Run `velero backup describe nightly-1` or `velero backup logs nightly-1` for"
                + " more details.\n");
    assertThat(got.path("status").path("phase").asString()).isEqualTo("Completed");
    assertThat(keys(bucket, "clusters/edge/"))
        .containsExactlyInAnyOrder(
            "clusters/edge/backups/nightly-1/velero-backup.json",
            "clusters/edge/backups/nightly-1/nightly-1.tar.gz",
            "clusters/edge/backups/nightly-1/nightly-1-logs.gz",
            "clusters/edge/backups/nightly-1/nightly-1-resource-list.json.gz",
            "clusters/edge/backups/nightly-1/nightly-1-results.gz",
            "clusters/edge/backups/nightly-1/nightly-1-volumesnapshots.json.gz");
    JsonNode stored =
        Json.MAPPER.readTree(object(bucket, "clusters/edge/backups/nightly-1/velero-backup.json"));
    assertThat(stored.path("apiVersion").asString()).isEqualTo("velero.io/v1");
    assertThat(stored.path("kind").asString()).isEqualTo("Backup");
    JsonNode metadata = stored.path("metadata");
    assertThat(metadata.path("name").asString()).isEqualTo("nightly-1");
    assertThat(metadata.path("namespace").asString()).isEqualTo("velero");
    assertThat(metadata.path("creationTimestamp").asString()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(metadata.path("labels").path("easel.dev/backup-id").asString()).isEqualTo(BACKUP_ID);
    assertThat(metadata.path("labels").path("easel.dev/cluster-id").asString())
        .isEqualTo(CLUSTER_ID);
    assertThat(metadata.path("labels").path("velero.io/storage-location").asString())
        .isEqualTo(BSL);
    JsonNode spec = stored.path("spec");
    assertThat(strings(spec.path("includedNamespaces"))).containsExactly("default", "shop");
    assertThat(strings(spec.path("excludedNamespaces"))).containsExactly("kube-system");
    assertThat(spec.path("includeClusterResources").asBoolean()).isTrue();
    assertThat(spec.path("snapshotVolumes").isBoolean()).isTrue();
    assertThat(spec.path("snapshotVolumes").asBoolean()).isFalse();
    assertThat(spec.path("storageLocation").asString()).isEqualTo(BSL);
    assertThat(spec.path("ttl").asString()).isEqualTo("720h0m0s");
    JsonNode status = stored.path("status");
    assertThat(status.path("phase").asString()).isEqualTo("Completed");
    assertThat(status.path("version").asInt()).isEqualTo(1);
    assertThat(status.path("formatVersion").asString()).isEqualTo("1.1.0");
    assertThat(status.path("startTimestamp").asString()).isEqualTo("2026-03-01T10:00:00Z");
    assertThat(status.path("completionTimestamp").asString()).isEqualTo("2026-03-01T10:01:00Z");
    assertThat(status.path("expiration").asString()).isEqualTo("2026-03-31T10:00:00Z");
    assertThat(status.path("progress").path("itemsBackedUp").asInt())
        .isEqualTo(status.path("progress").path("totalItems").asInt());
    assertThat(status.has("errors")).isFalse();
    assertThat(status.has("failureReason")).isFalse();
    Map<String, byte[]> tarball =
        untar(object(bucket, "clusters/edge/backups/nightly-1/nightly-1.tar.gz"));
    assertThat(new String(tarball.get("metadata/version"), StandardCharsets.UTF_8))
        .isEqualTo("1.1.0");
    assertThat(tarball)
        .containsKeys(
            "resources/deployments.apps/namespaces/shop/web.json",
            "resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json",
            "resources/configmaps/namespaces/default/kube-root-ca.crt.json",
            "resources/namespaces/cluster/shop.json",
            "resources/clusterroles.rbac.authorization.k8s.io/cluster/easel-viewer.json")
        .doesNotContainKey("resources/namespaces/cluster/kube-system.json");
    JsonNode deployment =
        Json.MAPPER.readTree(tarball.get("resources/deployments.apps/namespaces/shop/web.json"));
    assertThat(deployment.path("kind").asString()).isEqualTo("Deployment");
    assertThat(deployment.path("metadata").path("namespace").asString()).isEqualTo("shop");
    assertThat(gunzip(object(bucket, "clusters/edge/backups/nightly-1/nightly-1-results.gz")))
        .isEqualTo("{\"errors\":{},\"warnings\":{}}");
    assertThat(
            gunzip(
                object(
                    bucket, "clusters/edge/backups/nightly-1/nightly-1-volumesnapshots.json.gz")))
        .isEqualTo("[]");
    JsonNode resources =
        Json.MAPPER.readTree(
            gunzip(
                object(bucket, "clusters/edge/backups/nightly-1/nightly-1-resource-list.json.gz")));
    assertThat(strings(resources.path("apps/v1/Deployment")))
        .containsExactly("default/web", "shop/web");
    assertThat(gunzip(object(bucket, "clusters/edge/backups/nightly-1/nightly-1-logs.gz")))
        .contains("level=info msg=\"Backed up a total of");
  }

  @Test
  void aBackupRunsInProgressWithItsItemsGrowingUntilItsDurationHasPassed() {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, null);
    run(velero, node, backupCreate("weekly", "--snapshot-volumes=true"));

    JsonNode started = json(run(velero, node, backupGet("weekly")));
    clock.advance(Duration.ofSeconds(15));
    JsonNode quarter = json(run(velero, node, backupGet("weekly")));
    clock.advance(Duration.ofSeconds(30));
    JsonNode most = json(run(velero, node, backupGet("weekly")));
    List<String> beforeTheEnd = keys(bucket, "");
    clock.advance(Duration.ofSeconds(15));
    JsonNode done = json(run(velero, node, backupGet("weekly")));

    int total = started.path("status").path("progress").path("totalItems").asInt();
    assertThat(total).isBetween(150, 1_500);
    assertThat(started.path("status").path("phase").asString()).isEqualTo("InProgress");
    assertThat(started.path("status").path("progress").has("itemsBackedUp")).isFalse();
    assertThat(started.path("status").has("completionTimestamp")).isFalse();
    assertThat(started.path("spec").path("includedNamespaces").get(0).asString()).isEqualTo("*");
    int atQuarter = quarter.path("status").path("progress").path("itemsBackedUp").asInt();
    int atMost = most.path("status").path("progress").path("itemsBackedUp").asInt();
    assertThat(atQuarter).isEqualTo(total / 4);
    assertThat(atMost).isGreaterThan(atQuarter).isLessThan(total);
    assertThat(most.path("status").path("phase").asString()).isEqualTo("InProgress");
    assertThat(beforeTheEnd).isEmpty();
    assertThat(done.path("status").path("phase").asString()).isEqualTo("Completed");
    assertThat(done.path("status").path("progress").path("itemsBackedUp").asInt()).isEqualTo(total);
    assertThat(keys(bucket, "")).contains("backups/weekly/velero-backup.json");
  }

  @Test
  void theTotalItemsOfABackupFollowFromItsName() {
    SimulatedVelero one = new SimulatedVelero(RUN, clock);
    SimulatedVelero other = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(one, node, bucket, null);
    configure(other, node, bucket, null);
    run(one, node, backupCreate("same-name", ""));
    run(other, node, backupCreate("same-name", ""));

    assertThat(totalItems(json(run(one, node, backupGet("same-name")))))
        .isEqualTo(totalItems(json(run(other, node, backupGet("same-name")))));
  }

  @Test
  void aBackupOfTheSimulatedPartialNamespaceEndsPartiallyFailedWithOneErrorAndIsWritten()
      throws Exception {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, null);

    run(velero, node, backupCreate("partial", "--include-namespaces default,easel-sim-partial"));
    JsonNode got = json(run(velero, node, backupGet("partial")));

    assertThat(got.path("status").path("phase").asString()).isEqualTo("PartiallyFailed");
    assertThat(got.path("status").path("errors").asInt()).isEqualTo(1);
    JsonNode stored = Json.MAPPER.readTree(object(bucket, "backups/partial/velero-backup.json"));
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("PartiallyFailed");
    JsonNode results =
        Json.MAPPER.readTree(gunzip(object(bucket, "backups/partial/partial-results.gz")));
    assertThat(results.path("errors").path("namespaces").path("easel-sim-partial").size())
        .isEqualTo(1);
  }

  @Test
  void aBackupOfTheSimulatedFailingNamespaceEndsFailedAndIsStillWrittenAsFailed() throws Exception {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, null);

    run(velero, node, backupCreate("broken", "--include-namespaces easel-sim-fail"));
    JsonNode got = json(run(velero, node, backupGet("broken")));

    assertThat(got.path("status").path("phase").asString()).isEqualTo("Failed");
    assertThat(got.path("status").path("failureReason").asString()).contains("easel-sim-fail");
    JsonNode stored = Json.MAPPER.readTree(object(bucket, "backups/broken/velero-backup.json"));
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("Failed");
    assertThat(stored.path("status").path("failureReason").asString())
        .isEqualTo(got.path("status").path("failureReason").asString());
  }

  @Test
  void aBackupToALocationWithWrongCredentialsFailsWithTheObjectStoresErrorAndWritesNothing() {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    run(velero, node, location(BSL, bucket, null, S3.endpoint(), null));
    run(velero, node, credentials(BSL, S3.accessKey(), "not-the-" + S3.secretKey()));

    Exit created = run(velero, node, backupCreate("denied", ""));
    JsonNode got = json(run(velero, node, backupGet("denied")));

    assertThat(created.succeeded()).isTrue();
    assertThat(got.path("status").path("phase").asString()).isEqualTo("Failed");
    assertThat(got.path("status").path("failureReason").asString())
        .startsWith("error checking if backup already exists in object storage: ")
        .contains("operation error S3: ListObjectsV2")
        .contains("StatusCode: 403");
    assertThat(got.path("status").path("completionTimestamp").asString())
        .isEqualTo("2026-03-01T10:00:00Z");
    assertThat(got.path("status").has("progress")).isFalse();
    assertThat(keys(bucket, "")).isEmpty();
  }

  @Test
  void aBackupToABucketThatDoesNotExistFailsNamingTheMissingBucket() {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode node = node(1);
    configure(velero, node, "no-such-bucket-" + UUID.randomUUID(), null);

    run(velero, node, backupCreate("lost", ""));
    JsonNode got = json(run(velero, node, backupGet("lost")));

    assertThat(got.path("status").path("phase").asString()).isEqualTo("Failed");
    assertThat(got.path("status").path("failureReason").asString())
        .contains("StatusCode: 404")
        .contains("NoSuchBucket");
  }

  @Test
  void backupGetOfABackupTheClusterDoesNotHaveExitsOneAsTheCliDoes() {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    configure(velero, node, S3.newBucket(), null);

    Exit got = run(velero, node, backupGet("never-made"));

    assertThat(got.code()).isEqualTo(1);
    assertThat(got.reason()).isEqualTo("exit code 1");
    assertThat(got.output())
        .isEqualTo("An error occurred: backups.velero.io \"never-made\" not found\n");
  }

  @Test
  void backupGetPrintsTheBackupAsGoIndentsJson() {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    configure(velero, node, S3.newBucket(), null);
    run(velero, node, backupCreate("pretty", ""));

    String printed = run(velero, node, backupGet("pretty")).output();

    assertThat(printed)
        .startsWith("{\n  \"apiVersion\": \"velero.io/v1\",\n  \"kind\": \"Backup\",\n")
        .contains("\n    \"hooks\": {},\n")
        .contains("\n    \"includedNamespaces\": [\n      \"*\"\n    ],\n")
        .endsWith("\n}\n");
  }

  @Test
  void anotherClusterFindsABackupInTheBucketOfALocationItConfiguredAsVelerosSyncWould() {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode source = node(1);
    SimulatedNode target = node(2);
    SimulatedNode unconfigured = node(3);
    String bucket = S3.newBucket();
    configure(velero, source, bucket, "shared");
    run(velero, source, backupCreate("to-move", "--include-namespaces shop"));
    run(velero, target, location("easel-other-name", bucket, "shared", S3.endpoint(), null));
    run(velero, target, credentials("easel-other-name", S3.accessKey(), S3.secretKey()));

    Exit synced = run(velero, target, synced("to-move"));
    JsonNode got = json(run(velero, target, backupGet("to-move")));
    Exit notSynced = run(velero, unconfigured, synced("to-move"));

    assertThat(synced.succeeded()).isTrue();
    assertThat(got.path("status").path("phase").asString()).isEqualTo("Completed");
    assertThat(got.path("spec").path("storageLocation").asString()).isEqualTo("easel-other-name");
    assertThat(got.path("metadata").path("labels").path("velero.io/storage-location").asString())
        .isEqualTo("easel-other-name");
    assertThat(got.path("metadata").path("labels").path("easel.dev/backup-id").asString())
        .isEqualTo(BACKUP_ID);
    assertThat(notSynced.succeeded()).isFalse();
    assertThat(notSynced.code()).isNull();
    assertThat(notSynced.reason()).isEqualTo("timed out after 60 s; killed");
  }

  @Test
  void aRestoreOfABackupInTheBucketRunsToCompletedAndWritesItsLogsAndResults() throws Exception {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode source = node(1);
    SimulatedNode target = node(2);
    String bucket = S3.newBucket();
    configure(velero, source, bucket, "dr");
    run(velero, source, backupCreate("before-upgrade", "--include-namespaces shop"));
    clock.advance(RUN);
    int total = totalItems(json(run(velero, source, backupGet("before-upgrade"))));
    configure(velero, target, bucket, "dr");

    assertThat(run(velero, target, synced("before-upgrade")).succeeded()).isTrue();
    Exit created =
        run(
            velero,
            target,
            restoreCreate(
                "restore-1",
                "before-upgrade",
                "--include-namespaces shop --namespace-mappings shop:shop-restored"
                    + " --include-cluster-resources=false --restore-volumes=true"));
    JsonNode started = json(run(velero, target, restoreGet("restore-1")));
    clock.advance(Duration.ofSeconds(30));
    JsonNode halfway = json(run(velero, target, restoreGet("restore-1")));
    clock.advance(Duration.ofSeconds(30));
    JsonNode done = json(run(velero, target, restoreGet("restore-1")));

    assertThat(created.output())
        .isEqualTo(
            "Restore request \"restore-1\" submitted successfully.\n"
                + "Run `velero restore describe restore-1` or `velero restore logs restore-1` for"
                + " more details.\n");
    assertThat(started.path("kind").asString()).isEqualTo("Restore");
    assertThat(started.path("status").path("phase").asString()).isEqualTo("InProgress");
    assertThat(halfway.path("status").path("progress").path("itemsRestored").asInt())
        .isEqualTo(total / 2);
    JsonNode spec = done.path("spec");
    assertThat(spec.path("backupName").asString()).isEqualTo("before-upgrade");
    assertThat(strings(spec.path("includedNamespaces"))).containsExactly("shop");
    assertThat(spec.path("namespaceMapping").path("shop").asString()).isEqualTo("shop-restored");
    assertThat(spec.path("includeClusterResources").asBoolean(true)).isFalse();
    assertThat(spec.path("restorePVs").asBoolean()).isTrue();
    assertThat(done.path("metadata").path("labels").path("easel.dev/restore-id").asString())
        .isEqualTo("r-1");
    JsonNode status = done.path("status");
    assertThat(status.path("phase").asString()).isEqualTo("Completed");
    assertThat(status.path("progress").path("totalItems").asInt()).isEqualTo(total);
    assertThat(status.path("progress").path("itemsRestored").asInt()).isEqualTo(total);
    assertThat(status.path("completionTimestamp").asString()).isEqualTo("2026-03-01T10:02:00Z");
    assertThat(keys(bucket, "dr/restores/"))
        .containsExactlyInAnyOrder(
            "dr/restores/restore-1/restore-restore-1-logs.gz",
            "dr/restores/restore-1/restore-restore-1-results.gz");
    assertThat(gunzip(object(bucket, "dr/restores/restore-1/restore-restore-1-results.gz")))
        .isEqualTo("{\"errors\":{},\"warnings\":{}}");
  }

  @Test
  void aRestoreOfABackupGoneFromTheBucketFailsValidation() {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode source = node(1);
    SimulatedNode target = node(2);
    String bucket = S3.newBucket();
    configure(velero, source, bucket, null);
    configure(velero, target, bucket, null);
    run(velero, source, backupCreate("short-lived", ""));
    assertThat(run(velero, target, synced("short-lived")).succeeded()).isTrue();
    try (S3Client s3 = S3.client()) {
      s3.deleteObject(b -> b.bucket(bucket).key("backups/short-lived/velero-backup.json"));
    }

    Exit created = run(velero, target, restoreCreate("too-late", "short-lived", ""));
    JsonNode got = json(run(velero, target, restoreGet("too-late")));

    assertThat(created.succeeded()).isTrue();
    assertThat(got.path("status").path("phase").asString()).isEqualTo("FailedValidation");
    assertThat(strings(got.path("status").path("validationErrors")))
        .containsExactly(
            "Error retrieving backup: can't find backup velero/short-lived:"
                + " backups.velero.io \"short-lived\" not found");
    assertThat(got.path("status").has("startTimestamp")).isFalse();
    assertThat(keys(bucket, "restores/")).isEmpty();
  }

  @Test
  void aRestoreOfABackupNoLocationHereHoldsIsRefusedByTheCli() {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode node = node(1);
    configure(velero, node, S3.newBucket(), null);

    Exit created = run(velero, node, restoreCreate("from-nothing", "nowhere", ""));
    Exit got = run(velero, node, restoreGet("from-nothing"));

    assertThat(created.code()).isEqualTo(1);
    assertThat(created.output())
        .isEqualTo("An error occurred: backups.velero.io \"nowhere\" not found\n");
    assertThat(got.code()).isEqualTo(1);
    assertThat(got.output())
        .isEqualTo("An error occurred: restores.velero.io \"from-nothing\" not found\n");
  }

  @Test
  void withNoDurationABackupAndARestoreHaveEndedWhenTheirRequestsReturn() throws Exception {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, Clock.systemUTC());
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, null);

    run(velero, node, backupCreate("instant", ""));
    List<String> written = keys(bucket, "backups/");
    run(velero, node, restoreCreate("instant-back", "instant", ""));
    List<String> restored = keys(bucket, "restores/");

    assertThat(written).contains("backups/instant/velero-backup.json");
    assertThat(restored).hasSize(2);
    JsonNode backup = json(run(velero, node, backupGet("instant")));
    assertThat(backup.path("status").path("phase").asString()).isEqualTo("Completed");
    JsonNode restore = json(run(velero, node, restoreGet("instant-back")));
    assertThat(restore.path("status").path("phase").asString()).isEqualTo("Completed");
    assertThat(restore.path("status").path("progress").path("itemsRestored").asInt())
        .isEqualTo(totalItems(backup));
  }

  @Test
  void aLocationWithACaCertificateReachesAnObjectStoreServingHttps() throws Exception {
    try (RunningS3 https = RunningS3.https()) {
      SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
      SimulatedNode node = node(1);
      String bucket = https.newBucket();
      String ca =
          Base64.getEncoder()
              .encodeToString(https.caCertificatePem().getBytes(StandardCharsets.US_ASCII));
      run(velero, node, location(BSL, bucket, null, https.endpoint(), ca));
      run(velero, node, credentials(BSL, https.accessKey(), https.secretKey()));

      run(velero, node, backupCreate("over-tls", ""));

      JsonNode got = json(run(velero, node, backupGet("over-tls")));

      assertThat(got.path("status").path("phase").asString()).isEqualTo("Completed");
      try (S3Client s3 = https.client()) {
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("backups/over-tls/")).keyCount())
            .isEqualTo(6);
      }
    }
  }

  @Test
  void theLocationStepsSayWhatKubectlWouldAndRefuseAManifestThatWasNotWritten() {
    SimulatedVelero velero = new SimulatedVelero(RUN, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();

    Exit wrote = run(velero, node, location(BSL, bucket, null, S3.endpoint(), null));
    Exit first = run(velero, node, credentials(BSL, S3.accessKey(), S3.secretKey()));
    Exit again = run(velero, node, credentials(BSL, S3.accessKey(), S3.secretKey()));
    Exit unwritten = run(velero, node(2), credentials(BSL, S3.accessKey(), S3.secretKey()));

    assertThat(wrote.output())
        .startsWith("wrote ")
        .endsWith(" to /var/lib/easel/velero/" + BSL + ".yaml with mode 0644");
    assertThat(first.output())
        .isEqualTo(
            "secret/easel-archive-credentials created\n"
                + "backupstoragelocation.velero.io/easel-archive created\n");
    assertThat(again.output())
        .isEqualTo(
            "secret/easel-archive-credentials unchanged\n"
                + "backupstoragelocation.velero.io/easel-archive unchanged\n");
    assertThat(unwritten.code()).isEqualTo(1);
    assertThat(unwritten.output())
        .endsWith("error: the path \"/var/lib/easel/velero/easel-archive.yaml\" does not exist\n");
  }

  @Test
  void theSimulatedToolsPlayVeleroByDefaultAndLeaveEveryOtherStepAlone() {
    SimulatedTools tools = new SimulatedTools();
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    tools.ran(location(BSL, bucket, null, S3.endpoint(), null), node);
    tools.ran(credentials(BSL, S3.accessKey(), S3.secretKey()), node);

    Exit created = tools.ran(backupCreate("by-default", ""), node);
    Exit got = tools.ran(backupGet("by-default"), node);
    Exit unknown = tools.worse().ran(backupGet("no-such-backup"), node);
    Exit other = tools.ran(step("layer-cni", "helm upgrade --install cni", null, Map.of()), node);

    assertThat(created.succeeded()).isTrue();
    assertThat(json(got).path("status").path("phase").asString()).isEqualTo("InProgress");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(other).isNull();
  }

  @Test
  void nothingVeleroPrintsHoldsTheLocationsSecret() {
    SimulatedVelero velero = new SimulatedVelero(Duration.ZERO, clock);
    SimulatedNode node = node(1);
    String bucket = S3.newBucket();
    configure(velero, node, bucket, null);
    run(velero, node, backupCreate("secretive", "--include-namespaces easel-sim-partial"));
    run(velero, node, backupGet("secretive"));
    run(velero, node, restoreCreate("secretive-r", "secretive", ""));
    run(velero, node, restoreGet("secretive-r"));
    run(velero, node, credentials("easel-wrong", S3.accessKey(), S3.secretKey()));

    assertThat(printed).hasSizeGreaterThan(5);
    assertThat(printed).noneMatch(p -> p.contains(S3.secretKey()));
  }

  // ---- steps as the compliance service sends them ------------------------------------------

  /** The two location steps every backup and restore plan starts with. */
  private void configure(SimulatedVelero velero, SimulatedNode node, String bucket, String prefix) {
    Exit wrote = run(velero, node, location(BSL, bucket, prefix, S3.endpoint(), null));
    Exit applied = run(velero, node, credentials(BSL, S3.accessKey(), S3.secretKey()));
    assertThat(wrote.succeeded()).isTrue();
    assertThat(applied.succeeded()).as(applied.output()).isTrue();
  }

  private static ServerApi.Step location(
      String bsl, String bucket, String prefix, String s3Url, String caCert) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n")
        .append("  name: ")
        .append(bsl)
        .append("\n  namespace: velero\nspec:\n  provider: aws\n  objectStorage:\n")
        .append("    bucket: ")
        .append(bucket)
        .append('\n');
    if (prefix != null) {
      yaml.append("    prefix: ").append(prefix).append('\n');
    }
    if (caCert != null) {
      yaml.append("    caCert: ").append(caCert).append('\n');
    }
    yaml.append("  config:\n    region: us-east-1\n    s3ForcePathStyle: \"true\"\n")
        .append("    s3Url: ")
        .append(s3Url)
        .append("\n  credential:\n    name: ")
        .append(bsl)
        .append("-credentials\n    key: cloud\n  accessMode: ReadWrite\n");
    return step(
        "velero-location",
        null,
        "write-file",
        Map.of("path", "/var/lib/easel/velero/" + bsl + ".yaml", "content", yaml.toString()));
  }

  private static ServerApi.Step credentials(String bsl, String accessKey, String secretKey) {
    String dir = "/var/lib/easel/velero/";
    return new ServerApi.Step(
        "velero-credentials",
        "velero-credentials",
        "kubectl -n velero create secret generic "
            + bsl
            + "-credentials --from-file=cloud="
            + dir
            + bsl
            + ".cloud --dry-run=client -o yaml | kubectl apply -f - && kubectl apply -f "
            + dir
            + bsl
            + ".yaml",
        null,
        Map.of(),
        60,
        0,
        "PENDING",
        1,
        Map.of(
            dir + bsl + ".cloud",
            "[default]\naws_access_key_id="
                + accessKey
                + "\naws_secret_access_key="
                + secretKey
                + "\n"));
  }

  private static ServerApi.Step backupCreate(String name, String flags) {
    return step(
        "velero-backup-create",
        "velero backup create "
            + name
            + " --storage-location "
            + BSL
            + " "
            + flags
            + " --ttl 720h0m0s --labels easel.dev/backup-id="
            + BACKUP_ID
            + ",easel.dev/cluster-id="
            + CLUSTER_ID,
        null,
        Map.of());
  }

  private static ServerApi.Step backupGet(String name) {
    return step("velero-backup-get", "velero backup get " + name + " -o json", null, Map.of());
  }

  private static ServerApi.Step synced(String backup) {
    return step(
        "velero-backup-synced",
        "until velero backup get " + backup + " >/dev/null 2>&1; do sleep 5; done",
        null,
        Map.of());
  }

  private static ServerApi.Step restoreCreate(String name, String backup, String flags) {
    return step(
        "velero-restore-create",
        "velero restore create "
            + name
            + " --from-backup "
            + backup
            + " "
            + flags
            + " --labels easel.dev/restore-id=r-1",
        null,
        Map.of());
  }

  private static ServerApi.Step restoreGet(String name) {
    return step("velero-restore-get", "velero restore get " + name + " -o json", null, Map.of());
  }

  private static ServerApi.Step step(
      String id, String command, String action, Map<String, String> args) {
    return new ServerApi.Step(id, id, command, action, args, 60, 0, "PENDING", 1, Map.of());
  }

  /** Runs a step that Velero must answer, keeping what it printed. */
  private Exit run(SimulatedVelero velero, SimulatedNode node, ServerApi.Step step) {
    Exit exit = velero.run(step, node);
    assertThat(exit).as(step.toString()).isNotNull();
    printed.add(exit.output());
    return exit;
  }

  private static SimulatedNode node(int index) {
    return new SimulatedNode(
        new SimulatedNode.Identity(
            index,
            "vsphere-vm",
            "sim-" + index,
            "m" + index,
            UUID.randomUUID(),
            UUID.randomUUID(),
            "credential"));
  }

  // ---- reading back ------------------------------------------------------------------------

  private static JsonNode json(Exit exit) {
    assertThat(exit.succeeded()).as(exit.output()).isTrue();
    return Json.MAPPER.readTree(exit.output());
  }

  private static int totalItems(JsonNode cr) {
    return cr.path("status").path("progress").path("totalItems").asInt();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asString()));
    return out;
  }

  /** The objects under {@code prefix}, without the directories S3Proxy's file store lists. */
  private static List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = S3.client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .filter(k -> !k.endsWith("/"))
          .toList();
    }
  }

  private static byte[] object(String bucket, String key) {
    try (S3Client s3 = S3.client()) {
      return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }
  }

  private static String gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, byte[]> untar(byte[] tarGz) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(tarGz)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        files.put(e.getName(), tar.readAllBytes());
      }
    }
    return files;
  }

  /** A clock the test moves by hand, so progress is read at exact points without waiting. */
  private static final class TestClock extends Clock {

    private volatile Instant now;

    TestClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
