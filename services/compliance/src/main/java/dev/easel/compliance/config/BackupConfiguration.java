package dev.easel.compliance.config;

import dev.easel.common.crypto.AesGcm;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.common.process.PeriodicTask;
import dev.easel.compliance.adapters.out.crypto.AesGcmSecretBox;
import dev.easel.compliance.application.BackupLocations;
import dev.easel.compliance.application.BackupSync;
import dev.easel.compliance.application.Backups;
import dev.easel.compliance.application.port.PlanSecretSealer;
import dev.easel.compliance.application.port.SecretBox;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Backups' keys and their background work: status reads, expiry, health checks and syncs. */
@Configuration
class BackupConfiguration {

  private static final Logger log = LoggerFactory.getLogger(BackupConfiguration.class);

  /** Backup location credentials need a key; compliance does not start without one. */
  @Bean
  SecretBox backupSecretBox(
      @Value("${easel.compliance.secret-key:}") String key,
      @Value("${easel.compliance.secret-key-file:}") String keyFile) {
    return new AesGcmSecretBox(
        AesGcm.load(key, keyFile, "easel.compliance", "backup location credentials"));
  }

  /**
   * Seals plans' secret files to node-discovery's public plan key ({@code
   * easel.plans.public-key-file}, ADR 0010). Without one they would cross Kafka in the clear: they
   * are sent so, with a warning, and a node-discovery that has a plan key refuses them.
   */
  @Bean
  PlanSecretSealer planSecretSealer(@Value("${easel.plans.public-key-file:}") String file) {
    if (file == null || file.isBlank()) {
      log.warn(
          "no {}: backup credentials would cross Kafka in the clear",
          PlanSecrets.PUBLIC_KEY_FILE_PROPERTY);
      return (plan, step, path, content) -> content;
    }
    PlanSecrets.Sealer sealer = PlanSecrets.sealer(PlanSecrets.readPublicKey(Path.of(file.trim())));
    return sealer::seal;
  }

  /** Reads each running backup's and restore's status when its time comes. */
  @Bean
  PeriodicTask backupPollTask(Backups backups) {
    return new PeriodicTask("compliance-backup-poll", Duration.ofMillis(200), backups::poll);
  }

  /** Deletes expired backups, fails those that ran too long. */
  @Bean
  PeriodicTask backupExpiryTask(
      Backups backups,
      @Value("${easel.compliance.backups.expiry-interval:1m}") Duration every,
      @Value("${easel.compliance.timeouts.backup:4h}") Duration limit) {
    return new PeriodicTask(
        "compliance-backup-expiry",
        every,
        () -> {
          backups.expire();
          backups.failOverdue(limit);
        });
  }

  /** Checks every location, publishing when one's health changes. */
  @Bean
  PeriodicTask backupHealthTask(
      BackupLocations locations,
      @Value("${easel.compliance.backups.health-interval:5m}") Duration every) {
    return new PeriodicTask("compliance-backup-health", every, locations::checkAll);
  }

  /** Reads every location's backups from its bucket. */
  @Bean
  PeriodicTask backupSyncTask(
      BackupSync sync, @Value("${easel.compliance.backups.sync-interval:1m}") Duration every) {
    return new PeriodicTask("compliance-backup-sync", every, sync::syncAll);
  }
}
