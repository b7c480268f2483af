package dev.easel.compliance.adapters.out.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.easel.compliance.application.port.ObjectStores;
import dev.easel.compliance.application.port.ObjectStores.Access;
import dev.easel.compliance.application.port.ObjectStores.Entry;
import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStore;
import dev.easel.compliance.application.port.ObjectStores.ObjectStoreException;
import dev.easel.compliance.application.port.ObjectStores.Probe;
import dev.easel.compliance.domain.backup.Credentials;
import dev.easel.compliance.domain.backup.Provider;
import dev.easel.testing.RunningS3;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 and MinIO locations against a real S3 server (S3Proxy) in the test JVM. */
class S3ObjectStoreTest {

  private static final ObjectStores STORES = new SdkObjectStores();

  private static RunningS3 s3;
  private static S3Client client;
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    s3 = RunningS3.shared();
    client = s3.client();
    pool = Executors.newFixedThreadPool(16);
  }

  @AfterAll
  static void stop() {
    client.close();
    pool.shutdownNow();
  }

  @Test
  void probeWritesReadsAndDeletesAnObjectUnderThePrefix() {
    String bucket = s3.newBucket();
    try (ObjectStore store = STORES.open(minio(bucket, "velero/cluster-a"))) {
      assertThat(store.probe()).isEqualTo(Probe.OK);
    }
    assertThat(keys(bucket, "")).isEmpty();
  }

  @Test
  void probeWorksWithoutAPrefixAndWithPathStyleOff() {
    String bucket = s3.newBucket();
    // S3Proxy is addressed by IP, where the SDK falls back to path style by itself.
    Access access =
        new Access(
            Provider.S3,
            bucket,
            "",
            "",
            s3.endpoint(),
            false,
            null,
            new Credentials.AccessKeys(s3.accessKey(), s3.secretKey()));
    try (ObjectStore store = STORES.open(access)) {
      assertThat(store.probe()).isEqualTo(Probe.OK);
    }
    assertThat(keys(bucket, "")).isEmpty();
  }

  @Test
  void wrongSecretKeyIsNamedAsCredentials() {
    String bucket = s3.newBucket();
    String wrong = "wrong-secret-" + System.nanoTime();
    Probe probe = probe(access(bucket, "", s3.endpoint(), null, s3.accessKey(), wrong));

    assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
    assertThat(probe.message())
        .contains(s3.endpoint())
        .contains("secret key")
        .doesNotContain(wrong)
        .doesNotContain(s3.secretKey())
        .doesNotContain(s3.accessKey());
  }

  @Test
  void unknownAccessKeyIsNamedAsCredentials() {
    String bucket = s3.newBucket();
    String unknown = "AKIAUNKNOWN" + System.nanoTime();
    Probe probe = probe(access(bucket, "", s3.endpoint(), null, unknown, s3.secretKey()));

    assertThat(probe.failure()).isEqualTo(Failure.CREDENTIALS);
    assertThat(probe.message())
        .contains(s3.endpoint())
        .doesNotContain(unknown)
        .doesNotContain(s3.secretKey());
  }

  @Test
  void missingBucketIsNamedWithTheEndpoint() {
    Probe probe = probe(minio("no-such-bucket", ""));

    assertThat(probe.failure()).isEqualTo(Failure.BUCKET_MISSING);
    assertThat(probe.message())
        .isEqualTo("bucket 'no-such-bucket' does not exist at " + s3.endpoint());
  }

  @Test
  void unresolvableHostIsNamedAsDnsWithinSeconds() {
    Instant start = Instant.now();
    Probe probe = probe(access("velero", "", "http://s3.easel.invalid:9000", null));

    assertThat(probe.failure()).isEqualTo(Failure.DNS);
    assertThat(probe.message()).isEqualTo("cannot resolve host s3.easel.invalid");
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void nothingListeningIsNamedAsConnectionWithinSeconds() throws IOException {
    String endpoint = "http://127.0.0.1:" + closedPort();
    Instant start = Instant.now();
    Probe probe = probe(access("velero", "", endpoint, null));

    assertThat(probe.failure()).isEqualTo(Failure.CONNECTION);
    assertThat(probe.message()).startsWith("nothing answers at " + endpoint);
    assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void httpsEndpointSignedByAnotherCaIsNamedAsTls() {
    try (RunningS3 https = RunningS3.https()) {
      String bucket = https.newBucket();
      Probe probe =
          probe(
              access(
                  bucket,
                  "",
                  https.endpoint(),
                  RunningS3.unrelatedCaCertificatePem(),
                  https.accessKey(),
                  https.secretKey()));

      assertThat(probe.failure()).isEqualTo(Failure.TLS);
      assertThat(probe.message()).startsWith("the endpoint's certificate is not trusted: ");
    }
  }

  @Test
  void httpsEndpointWithAPrivateCaIsNotTrustedByTheJdkAlone() {
    try (RunningS3 https = RunningS3.https()) {
      String bucket = https.newBucket();
      Probe probe =
          probe(access(bucket, "", https.endpoint(), null, https.accessKey(), https.secretKey()));

      assertThat(probe.failure()).isEqualTo(Failure.TLS);
      assertThat(probe.message()).startsWith("the endpoint's certificate is not trusted: ");
    }
  }

  @Test
  void httpsEndpointWorksWithItsOwnCa() {
    try (RunningS3 https = RunningS3.https()) {
      String bucket = https.newBucket();
      Probe probe =
          probe(
              access(
                  bucket,
                  "velero",
                  https.endpoint(),
                  https.caCertificatePem(),
                  https.accessKey(),
                  https.secretKey()));

      assertThat(probe).isEqualTo(Probe.OK);
    }
  }

  @Test
  void caCertificateThatIsNotPemIsNamedAsTls() {
    Probe probe = probe(access("velero", "", s3.endpoint(), "not a certificate"));

    assertThat(probe.failure()).isEqualTo(Failure.TLS);
    assertThat(probe.message()).startsWith("the CA certificate");
  }

  @Test
  void endpointThatIsNotAUrlIsNamed() {
    Probe probe = probe(access("velero", "", "minio.local:9000", null));

    assertThat(probe.failure()).isEqualTo(Failure.OTHER);
    assertThat(probe.message())
        .isEqualTo("the endpoint 'minio.local:9000' is not an http:// or https:// URL with a host");
  }

  @Test
  void credentialsOfAnotherProviderAreRefusedWithoutConnecting() {
    Access access =
        new Access(
            Provider.MINIO,
            "velero",
            "",
            "",
            s3.endpoint(),
            true,
            null,
            new Credentials.ServiceAccount("{\"private_key\":\"secret\"}"));
    try (ObjectStore store = STORES.open(access)) {
      assertThat(store.probe().failure()).isEqualTo(Failure.CREDENTIALS);
      assertThatThrownBy(() -> store.read("k", 10))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.CREDENTIALS));
    }
  }

  @Test
  void listPagesPastAThousandObjectsInKeyOrder() throws Exception {
    String bucket = s3.newBucket();
    List<String> expected =
        IntStream.range(0, 1005)
            .mapToObj(i -> "backups/b-%05d/velero-backup.json".formatted(i))
            .toList();
    put(bucket, expected, "{}");
    put(bucket, List.of("backupsx/other.json", "restores/r-1/restore.json"), "{}");

    List<Entry> entries = new ArrayList<>();
    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      store.list("backups/", entries::add);
    }

    assertThat(entries).extracting(Entry::key).containsExactlyElementsOf(expected);
    Entry first = entries.get(0);
    assertThat(first.size()).isEqualTo(2);
    assertThat(first.etag()).isNotBlank().doesNotContain("\"");
    assertThat(first.lastModified()).isNotNull();
  }

  @Test
  void listFoldersGivesEachBackupsFolderOnceAcrossPagesAndNotItsFiles() throws Exception {
    String bucket = s3.newBucket();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 1003; i++) {
      keys.add("v/backups/b-%05d/velero-backup.json".formatted(i));
      keys.add("v/backups/b-%05d/b-%05d.tar.gz".formatted(i, i));
    }
    keys.add("v/backups/loose-file.json");
    keys.add("v/restores/r-1/restore-r-1-logs.gz");
    put(bucket, keys, "{}");

    List<String> folders = new ArrayList<>();
    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      store.listFolders("v/backups/", folders::add);
    }

    assertThat(folders).hasSize(1003).doesNotHaveDuplicates();
    assertThat(folders.get(0)).isEqualTo("v/backups/b-00000/");
    assertThat(folders).allMatch(f -> f.startsWith("v/backups/b-") && f.endsWith("/"));
  }

  @Test
  void readReturnsTheBytesOfASmallObject() throws Exception {
    String bucket = s3.newBucket();
    put(bucket, List.of("backups/a/velero-backup.json"), "{\"kind\":\"Backup\"}");

    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      assertThat(store.read("backups/a/velero-backup.json", 1024))
          .map(b -> new String(b, StandardCharsets.UTF_8))
          .contains("{\"kind\":\"Backup\"}");
    }
  }

  @Test
  void readOfAMissingObjectIsEmpty() {
    String bucket = s3.newBucket();
    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      assertThat(store.read("backups/none/velero-backup.json", 1024)).isEmpty();
    }
  }

  @Test
  void readInAMissingBucketIsNamedNotEmpty() {
    try (ObjectStore store = STORES.open(minio("no-such-bucket", ""))) {
      assertThatThrownBy(() -> store.read("backups/a/velero-backup.json", 1024))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> assertThat(e.failure()).isEqualTo(Failure.BUCKET_MISSING));
    }
  }

  @Test
  void readOfAnObjectOverMaxBytesIsRefused() throws Exception {
    String bucket = s3.newBucket();
    put(bucket, List.of("big"), "x".repeat(1000));

    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      assertThatThrownBy(() -> store.read("big", 999))
          .isInstanceOfSatisfying(
              ObjectStoreException.class,
              e -> {
                assertThat(e.failure()).isEqualTo(Failure.OTHER);
                assertThat(e.getMessage()).contains("'big'").contains("1000").contains("999");
              });
      assertThat(store.read("big", 1000)).map(b -> b.length).contains(1000);
    }
  }

  @Test
  void deleteAllRemovesThePrefixOnlyInBatches() throws Exception {
    String bucket = s3.newBucket();
    List<String> doomed =
        IntStream.range(0, 1003).mapToObj(i -> "backups/old/%04d".formatted(i)).toList();
    put(bucket, doomed, "x");
    put(bucket, List.of("backups/older", "backups/new/0001", "other/old/0001"), "x");

    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      assertThat(store.deleteAll("backups/old/")).isEqualTo(1003);
    }

    assertThat(keys(bucket, ""))
        .containsExactly("backups/new/0001", "backups/older", "other/old/0001");
  }

  @Test
  void oneStoreServesSixteenThreadsReadingAtOnce() throws Exception {
    String bucket = s3.newBucket();
    List<String> keys = IntStream.range(0, 320).mapToObj(i -> "backups/%03d".formatted(i)).toList();
    put(bucket, keys, "content");

    try (ObjectStore store = STORES.open(minio(bucket, ""))) {
      List<Future<Optional<byte[]>>> reads = new ArrayList<>();
      for (String key : keys) {
        reads.add(pool.submit(() -> store.read(key, 100)));
      }
      for (Future<Optional<byte[]>> read : reads) {
        assertThat(read.get()).map(b -> new String(b, StandardCharsets.UTF_8)).contains("content");
      }
    }
  }

  @Test
  void neitherTheStoreNorItsAccessSaysTheSecret() {
    Access access = minio("velero", "p");
    try (ObjectStore store = STORES.open(access)) {
      assertThat(store.toString()).contains("velero").doesNotContain(s3.secretKey());
      assertThat(access.toString()).doesNotContain(s3.secretKey());
    }
  }

  private static Probe probe(Access access) {
    try (ObjectStore store = STORES.open(access)) {
      Probe probe = store.probe();
      assertThat(probe.message() == null ? "" : probe.message())
          .doesNotContain(s3.secretKey())
          .doesNotContain(s3.accessKey());
      return probe;
    }
  }

  private static Access minio(String bucket, String prefix) {
    return access(bucket, prefix, s3.endpoint(), null);
  }

  private static Access access(String bucket, String prefix, String endpoint, String ca) {
    return access(bucket, prefix, endpoint, ca, s3.accessKey(), s3.secretKey());
  }

  private static Access access(
      String bucket, String prefix, String endpoint, String ca, String accessKey, String secret) {
    return new Access(
        Provider.MINIO,
        bucket,
        prefix,
        "",
        endpoint,
        true,
        ca,
        new Credentials.AccessKeys(accessKey, secret));
  }

  private static void put(String bucket, List<String> keys, String content) throws Exception {
    List<Future<?>> puts = new ArrayList<>();
    for (String key : keys) {
      puts.add(
          pool.submit(
              () ->
                  client.putObject(
                      b -> b.bucket(bucket).key(key), RequestBody.fromString(content))));
    }
    for (Future<?> put : puts) {
      put.get();
    }
  }

  private static List<String> keys(String bucket, String prefix) {
    List<String> keys = new ArrayList<>();
    client
        .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))
        .contents()
        .forEach(o -> keys.add(o.key()));
    return keys;
  }

  /** A port nothing listens on: bound once by the OS, then released. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
