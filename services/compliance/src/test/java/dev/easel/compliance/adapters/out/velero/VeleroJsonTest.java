package dev.easel.compliance.adapters.out.velero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.compliance.domain.backup.BackupState;
import dev.easel.compliance.domain.backup.VeleroStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VeleroJsonTest {

  private final VeleroJson velero = new VeleroJson();

  /** As `velero backup get NAME -o json` prints a backup that is running. */
  private static final String RUNNING =
      """
      {
        "apiVersion": "velero.io/v1",
        "kind": "Backup",
        "metadata": {
          "name": "b1", "namespace": "velero", "uid": "279e",
          "creationTimestamp": "2026-11-26T22:17:29Z",
          "labels": {"easel.dev/backup-id": "11111111-1111-1111-1111-111111111111",
                     "easel.dev/cluster-id": "22222222-2222-2222-2222-222222222222",
                     "velero.io/storage-location": "easel-loc"}
        },
        "spec": {
          "metadata": {}, "includedNamespaces": ["shop"], "snapshotVolumes": true, "ttl": "720h0m0s",
          "includeClusterResources": false, "hooks": {}, "storageLocation": "easel-loc"
        },
        "status": {
          "version": 1, "formatVersion": "1.1.0", "expiration": "2026-12-26T22:17:29Z",
          "phase": "InProgress", "startTimestamp": "2026-11-26T22:17:29Z",
          "progress": {"totalItems": 535, "itemsBackedUp": 3}
        }
      }
      """;

  @Test
  void aRunningBackupGivesItsPhaseProgressLabelsAndSpec() {
    VeleroStatus s = velero.backup(RUNNING.getBytes(StandardCharsets.UTF_8));
    assertThat(s.name()).isEqualTo("b1");
    assertThat(s.state()).isEqualTo(BackupState.InProgress);
    assertThat(s.done()).isEqualTo(3);
    assertThat(s.total()).isEqualTo(535);
    assertThat(s.labels())
        .containsEntry("easel.dev/cluster-id", "22222222-2222-2222-2222-222222222222");
    assertThat(s.includedNamespaces()).containsExactly("shop");
    assertThat(s.includeClusterResources()).isFalse();
    assertThat(s.expiration()).isEqualTo(Instant.parse("2026-12-26T22:17:29Z"));
    assertThat(s.completed()).isNull();
  }

  @Test
  void aFailedBackupGivesVelerosReason() {
    String failed =
        RUNNING
            .replace(
                "\"phase\": \"InProgress\"",
                "\"phase\": \"Failed\", \"failureReason\": \"bucket gone\", \"errors\": 2")
            .replace(
                "\"startTimestamp\"",
                "\"completionTimestamp\": \"2026-11-26T22:20:00Z\", \"startTimestamp\"");
    VeleroStatus s = velero.backup(failed.getBytes(StandardCharsets.UTF_8));
    assertThat(s.state()).isEqualTo(BackupState.Failed);
    assertThat(s.reason()).isEqualTo("bucket gone");
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.completed()).isEqualTo(Instant.parse("2026-11-26T22:20:00Z"));
  }

  @Test
  void aRestoreFailedValidationGivesItsValidationErrors() {
    VeleroStatus s =
        velero.restore(
            """
            {"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"r1"},
             "spec":{"backupName":"b1","restorePVs":false},
             "status":{"phase":"FailedValidation","validationErrors":["backup.velero.io \\"b1\\" not found"]}}
            """);
    assertThat(s.state()).isEqualTo(BackupState.Failed);
    assertThat(s.reason()).contains("not found");
  }

  @Test
  void whatIsNotAVeleroResourceIsRefusedWithWhatItIs() {
    assertThatThrownBy(() -> velero.backup(new byte[0])).hasMessageContaining("printed nothing");
    assertThatThrownBy(() -> velero.backup("not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () ->
                velero.backup(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a velero.io/v1 Backup");
    assertThatThrownBy(() -> velero.restore(RUNNING))
        .hasMessageContaining("not a velero.io/v1 Restore");
    String deep = "[".repeat(200) + "]".repeat(200);
    assertThatThrownBy(() -> velero.backup(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
