package dev.easel.packs.config;

import dev.easel.common.crypto.AesGcm;
import dev.easel.common.outbox.Outbox;
import dev.easel.packs.adapters.out.bundle.BundleFormats;
import dev.easel.packs.adapters.out.crypto.AesGcmSecretBox;
import dev.easel.packs.adapters.out.crypto.TrustedKeys;
import dev.easel.packs.adapters.out.oci.OciRegistryAccess;
import dev.easel.packs.adapters.out.spool.DirectorySpool;
import dev.easel.packs.application.Registries;
import dev.easel.packs.application.Syncing;
import dev.easel.packs.application.Uploads;
import dev.easel.packs.application.port.BundleSignatures;
import dev.easel.packs.application.port.Bundles;
import dev.easel.packs.application.port.CatalogueStore;
import dev.easel.packs.application.port.RegistryAccess;
import dev.easel.packs.application.port.RegistryStore;
import dev.easel.packs.application.port.SecretBox;
import dev.easel.packs.application.port.Spool;
import dev.easel.packs.application.port.UploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.ObjectMapper;

/**
 * Wiring of pack-manager's adapters that are not plain components: the secret key, the trusted
 * keys, the OCI client's rules, the spool, and the thread pools of syncs and pushes.
 */
@Configuration
class PackManagerConfiguration {

  /**
   * The AES-256 key that seals registry passwords: {@code easel.packs.secret-key} (base64) or the
   * file named by {@code easel.packs.secret-key-file} (base64, as the devstack writes it). Without
   * one the service does not start: a password must never be stored in the clear.
   */
  @Bean
  SecretBox secretBox(
      @Value("${easel.packs.secret-key:}") String key,
      @Value("${easel.packs.secret-key-file:}") String keyFile) {
    return new AesGcmSecretBox(AesGcm.load(key, keyFile, "easel.packs", "registry passwords"));
  }

  @Bean
  BundleSignatures bundleSignatures(@Value("${easel.packs.trusted-keys-dir:}") String dir) {
    return TrustedKeys.fromDirectory(dir.isBlank() ? null : Path.of(dir));
  }

  @Bean
  RegistryAccess registryAccess(
      @Value("${easel.packs.registries.allow-loopback:false}") boolean allowLoopback,
      @Value("${easel.packs.registries.timeout:120s}") Duration timeout) {
    return new OciRegistryAccess(allowLoopback, timeout);
  }

  @Bean
  Spool spool(@Value("${easel.packs.spool-dir:${java.io.tmpdir}/easel-packs-spool}") String dir) {
    return new DirectorySpool(Path.of(dir));
  }

  @Bean
  Bundles bundles() {
    return new BundleFormats();
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService syncWorkers(@Value("${easel.packs.sync.parallelism:8}") int threads) {
    return Executors.newFixedThreadPool(threads, named("pack-sync-"));
  }

  @Bean
  Syncing syncing(
      RegistryStore registries,
      CatalogueStore catalogue,
      Registries access,
      Bundles bundles,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      ObjectMapper json,
      ExecutorService syncWorkers,
      @Value("${easel.packs.sync.lease:10m}") Duration lease) {
    return new Syncing(
        registries, catalogue, access, bundles, outbox, tx, clock, json, syncWorkers, lease);
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService uploadPushes(@Value("${easel.packs.uploads.concurrent-pushes:2}") int threads) {
    return Executors.newFixedThreadPool(threads, named("pack-push-"));
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService blobPushes(@Value("${easel.packs.uploads.blob-parallelism:4}") int threads) {
    return Executors.newFixedThreadPool(threads, named("pack-blob-"));
  }

  @Bean
  Uploads uploads(
      Registries registries,
      UploadStore store,
      CatalogueStore catalogue,
      Bundles bundles,
      BundleSignatures signatures,
      Spool spool,
      Outbox outbox,
      TransactionTemplate tx,
      Clock clock,
      ObjectMapper json,
      ExecutorService uploadPushes,
      ExecutorService blobPushes,
      @Value("${easel.packs.uploads.max-bundle-size:8GB}") DataSize maxBundle,
      @Value("${easel.packs.require-signed-bundles:false}") boolean requireSigned,
      @Value("${easel.packs.uploads.max-concurrent:4}") int maxConcurrent,
      @Value("${easel.packs.uploads.blob-attempts:4}") int attempts,
      @Value("${easel.packs.uploads.retry-backoff:500ms}") Duration backoff) {
    Uploads u =
        new Uploads(
            registries,
            store,
            catalogue,
            bundles,
            signatures,
            spool,
            outbox,
            tx,
            clock,
            json,
            uploadPushes,
            blobPushes,
            new Uploads.Settings(
                maxBundle.toBytes(), requireSigned, maxConcurrent, attempts, backoff));
    u.recover();
    return u;
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
