package dev.easel.compliance.domain.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.contracts.nodes.PlanStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BackupDomainTest {

  private static final Credentials KEYS = new Credentials.AccessKeys("AKIA", "s3cr3t-value");

  private static BackupLocation minio() {
    Instant now = Instant.parse("2026-11-26T00:00:00Z");
    return new BackupLocation(
        UUID.fromString("00000000-0000-0000-0000-000000000001"),
        "lab",
        Provider.MINIO,
        "velero",
        "easel/lab",
        null,
        "http://minio.lab:9000",
        true,
        null,
        null,
        null,
        now,
        now,
        1);
  }

  @Test
  void aBackupNameFollowsTheConsolesFormatStaysAValidLabelAndDiffersWithinOneSecond() {
    Instant at = Instant.parse("2026-11-26T22:05:09Z");
    String a = Backup.newName("easel", "Prod Cluster/EU", at, UUID.randomUUID());
    String b = Backup.newName("easel", "Prod Cluster/EU", at, UUID.randomUUID());
    assertThat(a).matches("easel-prod-cluster-eu-20261126220509-[0-9a-f]{4}");
    assertThat(a).isNotEqualTo(b);
    String longName = Backup.newName("nightly", "x".repeat(200), at, UUID.randomUUID());
    assertThat(longName).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  }

  @Test
  void theLocationManifestDescribesTheStoreToVeleroWithoutItsSecret() {
    List<PlanStep> steps = VeleroPlans.location(minio(), KEYS);
    assertThat(steps)
        .extracting(PlanStep::id)
        .containsExactly("velero-location", "velero-credentials");
    String manifest = steps.get(0).args().get("content");
    assertThat(manifest)
        .contains("kind: BackupStorageLocation", "name: easel-lab", "provider: aws")
        .contains("bucket: velero", "prefix: \"easel/lab\"", "s3ForcePathStyle: \"true\"")
        .contains("s3Url: \"http://minio.lab:9000\"", "name: easel-lab-credentials")
        .doesNotContain("s3cr3t-value");
    PlanStep creds = steps.get(1);
    assertThat(creds.command()).doesNotContain("s3cr3t-value");
    assertThat(creds.secretFiles())
        .containsEntry(
            "/var/lib/easel/velero/easel-lab.cloud",
            "[default]\naws_access_key_id=AKIA\naws_secret_access_key=s3cr3t-value\n");
    assertThat(creds.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void aBackupCommandCarriesItsSelectionTtlAndEaselsLabels() {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    BackupSpec spec =
        BackupSpec.check(
            List.of("shop", "web-*"), List.of("kube-system"), "Never", false, 48, problems);
    assertThat(problems).isEmpty();
    UUID cluster = UUID.randomUUID();
    Backup b =
        Backup.requested(
            UUID.randomUUID(),
            cluster,
            minio().id(),
            "easel-x-1",
            spec,
            Backup.ON_DEMAND,
            "ann",
            Instant.now());
    String c = VeleroPlans.backupCreate(b, minio()).command();
    assertThat(c)
        .startsWith("velero backup create easel-x-1 --storage-location easel-lab")
        .contains("--include-namespaces 'shop,web-*'", "--exclude-namespaces 'kube-system'")
        .contains("--include-cluster-resources=false", "--snapshot-volumes=false", "--ttl 48h0m0s")
        .contains("easel.dev/backup-id=" + b.id(), "easel.dev/cluster-id=" + cluster)
        .doesNotContain("--wait");
    assertThat(b.expiresAt()).isEqualTo(b.createdAt().plusSeconds(48 * 3600));
  }

  @Test
  void autoLeavesClusterResourcesToVeleroAndARestoreMapsNamespaces() {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    RestoreSpec spec =
        RestoreSpec.check(List.of(), Map.of("shop", "shop-copy"), null, null, problems);
    assertThat(problems).isEmpty();
    BackupSpec auto = BackupSpec.check(null, null, null, null, null, problems);
    Backup b =
        Backup.requested(
            UUID.randomUUID(),
            UUID.randomUUID(),
            minio().id(),
            "b1",
            auto,
            Backup.ON_DEMAND,
            null,
            Instant.now());
    assertThat(VeleroPlans.backupCreate(b, minio()).command())
        .doesNotContain("--include-cluster-resources")
        .contains("--snapshot-volumes=true", "--ttl 720h0m0s");
    Restore r =
        Restore.requested(UUID.randomUUID(), UUID.randomUUID(), "r1", b, spec, null, Instant.now());
    assertThat(VeleroPlans.restoreCreate(r).command())
        .startsWith("velero restore create r1 --from-backup b1")
        .contains("--namespace-mappings shop:shop-copy", "--restore-volumes=true");
  }

  @Test
  void aBackupRequestNamesEveryProblemAtOnce() {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    BackupSpec spec =
        BackupSpec.check(
            List.of("Shop", "a;rm -rf /", "dup", "dup"),
            List.of("dup"),
            "Sometimes",
            true,
            0,
            problems);
    assertThat(spec).isNull();
    assertThat(problems)
        .extracting(LocationSpec.Problem::field)
        .contains("includeNamespaces", "excludeNamespaces", "includeClusterResources", "ttlHours");
    problems.clear();
    RestoreSpec.check(null, Map.of("a", "b c"), null, null, problems);
    assertThat(problems)
        .extracting(LocationSpec.Problem::field)
        .containsExactly("namespaceMappings");
  }

  @Test
  void aLocationSpecChecksNamesBucketsEndpointsCertificatesAndCredentialsByProvider() {
    List<LocationSpec.Problem> problems = new ArrayList<>();
    new LocationSpec(
            "Bad_Name",
            Provider.MINIO,
            "x",
            "../up",
            "EU",
            "ftp://host",
            false,
            "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----",
            new Credentials.ServiceAccount("{}"))
        .check(true, problems);
    assertThat(problems)
        .extracting(LocationSpec.Problem::field)
        .containsExactlyInAnyOrder(
            "name", "bucket", "prefix", "region", "endpoint", "caCertificate", "credentials");
    problems.clear();
    new LocationSpec("ok", Provider.MINIO, "velero", null, null, null, false, null, null)
        .check(true, problems);
    assertThat(problems)
        .extracting(LocationSpec.Problem::field)
        .containsExactlyInAnyOrder("endpoint", "credentials");
    assertThat(LocationSpec.normalizePrefix("/a/b/")).isEqualTo("a/b");
    assertThat(KEYS.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void velerosPassingPhasesFoldIntoTheStateTheyLeadTo() {
    assertThat(BackupState.ofPhase("Queued")).isEqualTo(BackupState.New);
    assertThat(BackupState.ofPhase("WaitingForPluginOperations")).isEqualTo(BackupState.InProgress);
    assertThat(BackupState.ofPhase("FinalizingPartiallyFailed")).isEqualTo(BackupState.InProgress);
    assertThat(BackupState.ofPhase("FailedValidation")).isEqualTo(BackupState.Failed);
    assertThat(BackupState.ofPhase("PartiallyFailed").usable()).isTrue();
    assertThat(BackupState.ofPhase("Failed").usable()).isFalse();
  }
}
