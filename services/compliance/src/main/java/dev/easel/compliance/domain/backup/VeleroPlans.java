package dev.easel.compliance.domain.backup;

import dev.easel.contracts.nodes.PlanStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plans that run Velero on a cluster's init node. Each backup and restore plan first makes the
 * location known to the cluster (its BackupStorageLocation, and a secret holding its credentials,
 * which reach the node as a secret file), then asks Velero to start; status reads follow as short
 * plans of their own, because an agent runs one step at a time and a {@code --wait} would hold the
 * node until Velero is done, with nothing to show meanwhile.
 *
 * <p>Every value put in a command was checked to be a plain name, or is quoted.
 */
public final class VeleroPlans {

  public static final String DIR = "/var/lib/easel/velero";
  public static final String LOCATION_STEP = "velero-location";
  public static final String CREDENTIALS_STEP = "velero-credentials";
  public static final String BACKUP_CREATE_STEP = "velero-backup-create";
  public static final String BACKUP_GET_STEP = "velero-backup-get";
  public static final String BACKUP_SYNCED_STEP = "velero-backup-synced";
  public static final String RESTORE_CREATE_STEP = "velero-restore-create";
  public static final String RESTORE_GET_STEP = "velero-restore-get";

  private VeleroPlans() {}

  /** The two steps that make a location known to a cluster's Velero. */
  public static List<PlanStep> location(BackupLocation l, Credentials credentials) {
    String bsl = l.veleroName();
    String manifest = DIR + "/" + bsl + ".yaml";
    String secretFile = DIR + "/" + bsl + ".cloud";
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            LOCATION_STEP,
            "describe backup location " + l.name() + " to Velero",
            null,
            "write-file",
            Map.of("path", manifest, "content", manifest(l), "mode", "0644"),
            30,
            0,
            null));
    steps.add(
        new PlanStep(
            CREDENTIALS_STEP,
            "give Velero the credentials of " + l.name(),
            "kubectl -n velero create secret generic "
                + bsl
                + "-credentials --from-file=cloud="
                + secretFile
                + " --dry-run=client -o yaml | kubectl apply -f - && kubectl apply -f "
                + manifest,
            null,
            null,
            120,
            2,
            Map.of(secretFile, credentials.veleroFile())));
    return steps;
  }

  /** A BackupStorageLocation, as Velero's API types describe it. No secret is in it. */
  public static String manifest(BackupLocation l) {
    StringBuilder y = new StringBuilder();
    y.append("apiVersion: velero.io/v1\nkind: BackupStorageLocation\nmetadata:\n  name: ")
        .append(l.veleroName())
        .append("\n  namespace: velero\n  labels:\n    easel.dev/location-id: \"")
        .append(l.id())
        .append("\"\nspec:\n  provider: ")
        .append(l.provider().veleroProvider())
        .append("\n  objectStorage:\n    bucket: ")
        .append(l.bucket())
        .append('\n');
    if (l.prefix() != null && !l.prefix().isEmpty()) {
      y.append("    prefix: ").append(quoted(l.prefix())).append('\n');
    }
    if (l.caCertificate() != null && !l.caCertificate().isBlank()) {
      y.append("    caCert: ")
          .append(
              Base64.getEncoder()
                  .encodeToString(l.caCertificate().getBytes(StandardCharsets.US_ASCII)))
          .append('\n');
    }
    y.append("  config:\n");
    switch (l.provider()) {
      case S3, MINIO -> {
        String region = l.region() == null || l.region().isBlank() ? "us-east-1" : l.region();
        y.append("    region: ").append(region).append('\n');
        if (l.pathStyle() || l.provider() == Provider.MINIO) {
          y.append("    s3ForcePathStyle: \"true\"\n");
        }
        if (l.endpoint() != null && !l.endpoint().isBlank()) {
          y.append("    s3Url: ").append(quoted(l.endpoint())).append('\n');
        }
      }
      case GCS -> y.append("    {}\n");
      case AZURE -> {
        if (l.endpoint() != null && !l.endpoint().isBlank()) {
          y.append("    storageAccountURI: ").append(quoted(l.endpoint())).append('\n');
        }
        y.append("    storageAccountKeyEnvVar: AZURE_STORAGE_ACCOUNT_ACCESS_KEY\n");
      }
    }
    y.append("  credential:\n    name: ")
        .append(l.veleroName())
        .append("-credentials\n    key: cloud\n  accessMode: ReadWrite\n");
    return y.toString();
  }

  /** Starts a backup; Velero goes on with it in the background. */
  public static PlanStep backupCreate(Backup b, BackupLocation l) {
    StringBuilder c = new StringBuilder("velero backup create ");
    c.append(b.name()).append(" --storage-location ").append(l.veleroName());
    BackupSpec s = b.spec();
    if (!s.includeNamespaces().isEmpty()) {
      c.append(" --include-namespaces '")
          .append(String.join(",", s.includeNamespaces()))
          .append('\'');
    }
    if (!s.excludeNamespaces().isEmpty()) {
      c.append(" --exclude-namespaces '")
          .append(String.join(",", s.excludeNamespaces()))
          .append('\'');
    }
    s.includeClusterResources().veleroFlag().ifPresent(f -> c.append(' ').append(f));
    c.append(" --snapshot-volumes=").append(s.includeDisks());
    c.append(" --ttl ").append(s.ttlHours()).append("h0m0s");
    c.append(" --labels easel.dev/backup-id=").append(b.id());
    if (b.clusterId() != null) {
      c.append(",easel.dev/cluster-id=").append(b.clusterId());
    }
    return new PlanStep(
        BACKUP_CREATE_STEP,
        "start Velero backup " + b.name(),
        c.toString(),
        null,
        null,
        120,
        2,
        null);
  }

  /** Reads a backup's custom resource; its output is parsed. */
  public static PlanStep backupGet(String name) {
    return new PlanStep(
        BACKUP_GET_STEP,
        "read Velero backup " + name,
        "velero backup get " + name + " -o json",
        null,
        null,
        60,
        1,
        null);
  }

  /** Waits until the cluster's Velero has synced the backup from its location. */
  public static PlanStep backupSynced(String name) {
    return new PlanStep(
        BACKUP_SYNCED_STEP,
        "wait until Velero sees backup " + name,
        "until velero backup get " + name + " >/dev/null 2>&1; do sleep 5; done",
        null,
        null,
        300,
        0,
        null);
  }

  /** Starts a restore; Velero goes on with it in the background. */
  public static PlanStep restoreCreate(Restore r) {
    StringBuilder c = new StringBuilder("velero restore create ");
    c.append(r.name()).append(" --from-backup ").append(r.backupName());
    RestoreSpec s = r.spec();
    if (!s.includeNamespaces().isEmpty()) {
      c.append(" --include-namespaces '")
          .append(String.join(",", s.includeNamespaces()))
          .append('\'');
    }
    if (!s.namespaceMappings().isEmpty()) {
      List<String> pairs = new ArrayList<>();
      s.namespaceMappings().forEach((from, to) -> pairs.add(from + ":" + to));
      c.append(" --namespace-mappings ").append(String.join(",", pairs));
    }
    s.includeClusterResources().veleroFlag().ifPresent(f -> c.append(' ').append(f));
    c.append(" --restore-volumes=").append(s.restorePVs());
    c.append(" --labels easel.dev/restore-id=").append(r.id());
    return new PlanStep(
        RESTORE_CREATE_STEP,
        "start Velero restore " + r.name(),
        c.toString(),
        null,
        null,
        120,
        2,
        null);
  }

  public static PlanStep restoreGet(String name) {
    return new PlanStep(
        RESTORE_GET_STEP,
        "read Velero restore " + name,
        "velero restore get " + name + " -o json",
        null,
        null,
        60,
        1,
        null);
  }

  /** Plan ids: {@code backup-<id>}, {@code backup-<id>-status-<n>}, and the same for restores. */
  public static String planId(String kind, UUID id) {
    return kind + "-" + id;
  }

  public static String statusPlanId(String kind, UUID id, int n) {
    return kind + "-" + id + "-status-" + n;
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
