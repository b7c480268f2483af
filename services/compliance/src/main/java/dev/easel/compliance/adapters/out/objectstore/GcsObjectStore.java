package dev.easel.compliance.adapters.out.objectstore;

import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.paging.Page;
import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.easel.compliance.application.port.ObjectStores.Access;
import dev.easel.compliance.application.port.ObjectStores.Entry;
import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStore;
import dev.easel.compliance.application.port.ObjectStores.ObjectStoreException;
import dev.easel.compliance.application.port.ObjectStores.Probe;
import dev.easel.compliance.domain.backup.Credentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Google Cloud Storage bucket through Google's client on its JSON API over the JDK's HTTP client,
 * signing in with a service account's JSON key.
 */
final class GcsObjectStore implements ObjectStore {

  private static final String READ_WRITE_SCOPE =
      "https://www.googleapis.com/auth/devstorage.read_write";
  private static final String PUBLIC_HOST = "storage.googleapis.com";

  /** GCS takes at most 100 calls in one batch request. */
  private static final int DELETE_BATCH = 100;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Storage storage;
  private final String bucket;
  private final String prefix;
  private final String where;
  private final String host;
  private final String tokenServer;
  private final List<String> secrets;

  private GcsObjectStore(
      Storage storage,
      String bucket,
      String prefix,
      String where,
      String host,
      String tokenServer,
      List<String> secrets) {
    this.storage = storage;
    this.bucket = bucket;
    this.prefix = prefix;
    this.where = where;
    this.host = host;
    this.tokenServer = tokenServer;
    this.secrets = secrets;
  }

  /**
   * A client for the location; connects only when used.
   *
   * @throws ObjectStoreException when the location cannot be reached as given
   */
  static GcsObjectStore open(Access access) {
    if (!(access.credentials() instanceof Credentials.ServiceAccount account)) {
      throw new ObjectStoreException(
          Failure.CREDENTIALS, "a GCS location signs in with a service account's JSON key", null);
    }
    List<String> secrets = secrets(account.json());
    URI endpoint = SdkObjectStores.endpoint(access.endpoint());

    NetHttpTransport transport;
    if (access.caCertificate() == null || access.caCertificate().isBlank()) {
      transport = new NetHttpTransport();
    } else {
      TrustedCertificates trusted = TrustedCertificates.fromPem(access.caCertificate());
      try {
        transport = new NetHttpTransport.Builder().trustCertificates(trusted.keyStore()).build();
      } catch (GeneralSecurityException e) {
        throw new ObjectStoreException(
            Failure.TLS, "cannot trust the CA certificate: " + e.getMessage(), e);
      }
    }
    // The token exchange goes through the same transport, so a private CA covers it too.
    HttpTransportFactory transports = () -> transport;

    ServiceAccountCredentials credentials;
    try (InputStream json =
        new ByteArrayInputStream(account.json().getBytes(StandardCharsets.UTF_8))) {
      // The storage client retries a failed call, token included; google-auth's own retries on
      // top of it would keep a probe of a dead endpoint waiting for many seconds more.
      credentials =
          ServiceAccountCredentials.fromStream(json, transports)
              .createWithCustomRetryStrategy(false);
    } catch (IOException | RuntimeException e) {
      throw new ObjectStoreException(
          Failure.CREDENTIALS,
          Diagnosis.redact(
              "the service account key is not a usable JSON key file: "
                  + Diagnosis.firstLine(String.valueOf(e.getMessage())),
              secrets),
          null);
    }

    StorageOptions.Builder options =
        StorageOptions.http()
            .setCredentials(credentials.createScoped(List.of(READ_WRITE_SCOPE)))
            // Named so the client never asks a metadata server which project it runs in.
            .setProjectId(
                credentials.getProjectId() == null ? "easel-unknown" : credentials.getProjectId())
            .setTransportOptions(
                HttpTransportOptions.newBuilder()
                    .setHttpTransportFactory(transports)
                    .setConnectTimeout((int) S3ObjectStore.CONNECT_TIMEOUT.toMillis())
                    .setReadTimeout((int) S3ObjectStore.CALL_TIMEOUT.toMillis())
                    .build())
            .setRetrySettings(
                RetrySettings.newBuilder()
                    .setMaxAttempts(3)
                    .setInitialRetryDelayDuration(Duration.ofMillis(200))
                    .setRetryDelayMultiplier(2.0)
                    .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                    .setTotalTimeoutDuration(S3ObjectStore.CALL_TIMEOUT)
                    .build());
    String where;
    String host;
    if (endpoint != null) {
      options.setHost(endpoint.toString());
      where = endpoint.toString();
      host = endpoint.getHost();
    } else {
      where = "Google Cloud Storage";
      host = PUBLIC_HOST;
    }
    Storage storage;
    try {
      storage = options.build().getService();
    } catch (RuntimeException e) {
      throw new ObjectStoreException(
          Failure.OTHER,
          Diagnosis.redact(
              "cannot set up a GCS client for "
                  + where
                  + ": "
                  + Diagnosis.firstLine(String.valueOf(e.getMessage())),
              secrets),
          null);
    }
    return new GcsObjectStore(
        storage,
        access.bucket(),
        SdkObjectStores.prefix(access.prefix()),
        where,
        host,
        String.valueOf(credentials.getTokenServerUri()),
        secrets);
  }

  @Override
  public Probe probe() {
    try {
      Bucket found = storage.get(bucket);
      if (found == null) {
        return missing().probe();
      }
    } catch (RuntimeException e) {
      Diagnosis d = diagnose(e, "see");
      // Velero's role needs only storage.objects.*: a key that may not read the bucket's metadata
      // still works, so the object round trip below decides.
      if (d.failure() != Failure.PERMISSION) {
        return d.probe();
      }
    }
    String key = SdkObjectStores.probeKey(prefix);
    BlobId id = BlobId.of(bucket, key);
    byte[] content = ("easel probe " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      storage.create(BlobInfo.newBuilder(id).build(), content);
    } catch (RuntimeException e) {
      return diagnose(e, "write objects to").probe();
    }
    try {
      byte[] read = storage.readAllBytes(id);
      if (!Arrays.equals(read, content)) {
        return new Probe(
            Failure.OTHER,
            "the probe object read back from bucket '"
                + bucket
                + "' at "
                + where
                + " differs from what was written");
      }
    } catch (RuntimeException e) {
      return diagnose(e, "read objects from").probe();
    }
    try {
      storage.delete(id);
    } catch (RuntimeException e) {
      return diagnose(e, "delete objects from").probe();
    }
    return Probe.OK;
  }

  @Override
  public void list(String keyPrefix, Consumer<Entry> each) {
    Page<Blob> page;
    try {
      page =
          storage.list(
              bucket,
              Storage.BlobListOption.prefix(keyPrefix),
              Storage.BlobListOption.pageSize(1000));
    } catch (RuntimeException e) {
      throw diagnose(e, "list objects in").exception(e);
    }
    while (page != null) {
      for (Blob b : page.getValues()) {
        each.accept(new Entry(b.getName(), b.getEtag(), size(b), updated(b)));
      }
      try {
        page = page.hasNextPage() ? page.getNextPage() : null;
      } catch (RuntimeException e) {
        throw diagnose(e, "list objects in").exception(e);
      }
    }
  }

  @Override
  public void listFolders(String keyPrefix, Consumer<String> each) {
    Page<Blob> page;
    try {
      page =
          storage.list(
              bucket,
              Storage.BlobListOption.prefix(keyPrefix),
              Storage.BlobListOption.currentDirectory(),
              Storage.BlobListOption.pageSize(1000));
    } catch (RuntimeException e) {
      throw diagnose(e, "list folders in").exception(e);
    }
    while (page != null) {
      for (Blob b : page.getValues()) {
        if (b.isDirectory()) {
          each.accept(b.getName());
        }
      }
      try {
        page = page.hasNextPage() ? page.getNextPage() : null;
      } catch (RuntimeException e) {
        throw diagnose(e, "list folders in").exception(e);
      }
    }
  }

  @Override
  public Optional<byte[]> read(String key, long maxBytes) {
    int limit = SdkObjectStores.readLimit(maxBytes);
    try (ReadChannel channel = storage.reader(BlobId.of(bucket, key))) {
      // One byte past the most allowed shows an object is too large without reading it all.
      channel.limit(limit);
      byte[] bytes = Channels.newInputStream(channel).readNBytes(limit);
      if (bytes.length > maxBytes) {
        throw SdkObjectStores.tooLarge(
            "object '" + key + "' in bucket '" + bucket + "'", -1, maxBytes);
      }
      return Optional.of(bytes);
    } catch (ObjectStoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      Optional<BaseServiceException> service = Diagnosis.find(e, BaseServiceException.class);
      if (service.isPresent() && service.get().getCode() == 404 && !bucketMissing(service.get())) {
        return Optional.empty();
      }
      throw diagnose(e, "read objects from").exception(e);
    }
  }

  @Override
  public int deleteAll(String keyPrefix) {
    int deleted = 0;
    List<BlobId> batch = new ArrayList<>(DELETE_BATCH);
    try {
      for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(keyPrefix)).iterateAll()) {
        batch.add(b.getBlobId());
        if (batch.size() == DELETE_BATCH) {
          deleted += deleteBatch(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        deleted += deleteBatch(batch);
      }
    } catch (RuntimeException e) {
      throw diagnose(e, "delete objects from").exception(e);
    }
    return deleted;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      // The JSON client holds no resource the JVM does not reclaim; nothing to tell the caller.
    }
  }

  @Override
  public String toString() {
    return "GcsObjectStore[" + bucket + "/" + prefix + " at " + where + "]";
  }

  private int deleteBatch(List<BlobId> ids) {
    List<Boolean> results = storage.delete(ids);
    int deleted = 0;
    for (Boolean r : results) {
      if (Boolean.TRUE.equals(r)) {
        deleted++;
      }
    }
    return deleted;
  }

  private Diagnosis missing() {
    return new Diagnosis(
        Failure.BUCKET_MISSING, "bucket '" + bucket + "' does not exist at " + where);
  }

  Diagnosis diagnose(Throwable e, String action) {
    Optional<Throwable> auth = tokenFailure(e);
    // The token comes from the key file's token_uri, usually another host than the bucket's.
    Optional<Diagnosis> network =
        auth.isPresent()
            ? Diagnosis.network(e, tokenServer, URI.create(tokenServer).getHost())
                .map(d -> new Diagnosis(d.failure(), d.message() + " (asking for an access token)"))
            : Diagnosis.network(e, where, host);
    if (network.isPresent()) {
      return network.get().redacted(secrets);
    }
    if (auth.isPresent()) {
      Optional<HttpResponseException> refused = Diagnosis.find(e, HttpResponseException.class);
      String detail =
          refused
              .map(r -> "HTTP " + r.getStatusCode() + " " + tokenError(r.getContent()))
              .orElse(Diagnosis.firstLine(String.valueOf(auth.get().getMessage())));
      return new Diagnosis(
              Failure.CREDENTIALS,
              "the service account could not get an access token from "
                  + tokenServer
                  + ": "
                  + detail.strip())
          .redacted(secrets);
    }
    Optional<BaseServiceException> service = Diagnosis.find(e, BaseServiceException.class);
    if (service.isEmpty()) {
      return new Diagnosis(
              Failure.OTHER,
              "cannot "
                  + action
                  + " bucket '"
                  + bucket
                  + "' at "
                  + where
                  + ": "
                  + Diagnosis.deepestMessage(e))
          .redacted(secrets);
    }
    BaseServiceException s = service.get();
    String detail =
        (s.getReason() == null ? "HTTP " + s.getCode() : s.getReason())
            + (s.getMessage() == null ? "" : ": " + Diagnosis.firstLine(s.getMessage()));
    Diagnosis d =
        switch (s.getCode()) {
          case 401 ->
              new Diagnosis(
                  Failure.CREDENTIALS, where + " refused the service account (" + detail + ")");
          case 403 ->
              new Diagnosis(
                  Failure.PERMISSION,
                  "the service account may not "
                      + action
                      + " bucket '"
                      + bucket
                      + "' at "
                      + where
                      + " ("
                      + detail
                      + ")");
          case 404 ->
              bucketMissing(s) || action.equals("see")
                  ? missing()
                  : new Diagnosis(
                      Failure.OTHER,
                      "cannot " + action + " bucket '" + bucket + "' at " + where + ": " + detail);
          default ->
              s.getCode() == 0 && s.getCause() != null
                  ? new Diagnosis(
                      Failure.OTHER,
                      "cannot "
                          + action
                          + " bucket '"
                          + bucket
                          + "' at "
                          + where
                          + ": "
                          + Diagnosis.deepestMessage(s))
                  : new Diagnosis(
                      Failure.OTHER,
                      "cannot " + action + " bucket '" + bucket + "' at " + where + ": " + detail);
        };
    return d.redacted(secrets);
  }

  /**
   * An exception google-auth threw while getting an access token; its own types are not public, but
   * its package is.
   */
  private static Optional<Throwable> tokenFailure(Throwable e) {
    for (Throwable t : Diagnosis.chain(e)) {
      if (t.getClass().getName().startsWith("com.google.auth.oauth2.")) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  private static boolean bucketMissing(BaseServiceException e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(Locale.ROOT).contains("bucket does not exist");
  }

  /** The OAuth error of a refused token request, never the request. */
  private static String tokenError(String content) {
    if (content == null || content.isBlank()) {
      return "";
    }
    try {
      var answer = JSON.readTree(content);
      String error = answer.path("error").asString("");
      String description = answer.path("error_description").asString("");
      return (error + (description.isEmpty() ? "" : ": " + description)).strip();
    } catch (JacksonException e) {
      return "";
    }
  }

  private static long size(Blob b) {
    return b.getSize() == null ? 0 : b.getSize();
  }

  private static Instant updated(Blob b) {
    return b.getUpdateTimeOffsetDateTime() == null
        ? null
        : b.getUpdateTimeOffsetDateTime().toInstant();
  }

  /** The key file and its private key, line by line, in case a message quotes a part of it. */
  private static List<String> secrets(String json) {
    List<String> secrets = new ArrayList<>();
    secrets.add(json);
    String key;
    try {
      key = JSON.readTree(json).path("private_key").asString("");
    } catch (JacksonException e) {
      return secrets;
    }
    if (!key.isEmpty()) {
      secrets.add(key);
      for (String line : key.split("\n")) {
        if (line.strip().length() >= 16 && !line.startsWith("-----")) {
          secrets.add(line.strip());
        }
      }
    }
    return secrets;
  }
}
