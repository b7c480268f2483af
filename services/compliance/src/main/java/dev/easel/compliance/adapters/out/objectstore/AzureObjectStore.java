package dev.easel.compliance.adapters.out.objectstore;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.specialized.BlobInputStream;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import dev.easel.compliance.application.port.ObjectStores.Access;
import dev.easel.compliance.application.port.ObjectStores.Entry;
import dev.easel.compliance.application.port.ObjectStores.Failure;
import dev.easel.compliance.application.port.ObjectStores.ObjectStore;
import dev.easel.compliance.application.port.ObjectStores.ObjectStoreException;
import dev.easel.compliance.application.port.ObjectStores.Probe;
import dev.easel.compliance.domain.backup.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An Azure Blob Storage container through Azure's client on the JDK's HTTP client (Azure's default,
 * Netty, would meet Spring Boot's Netty version), signing in with a storage account's shared key.
 */
final class AzureObjectStore implements ObjectStore {

  /** The most a read fetches in its first request; the blob's size comes with it. */
  private static final int MAX_FIRST_CHUNK = 4 * 1024 * 1024;

  private static final Set<BlobErrorCode> CREDENTIALS =
      Set.of(BlobErrorCode.AUTHENTICATION_FAILED, BlobErrorCode.INVALID_AUTHENTICATION_INFO);
  private static final Set<BlobErrorCode> PERMISSION =
      Set.of(
          BlobErrorCode.AUTHORIZATION_FAILURE,
          BlobErrorCode.AUTHORIZATION_PERMISSION_MISMATCH,
          BlobErrorCode.AUTHORIZATION_RESOURCE_TYPE_MISMATCH,
          BlobErrorCode.AUTHORIZATION_SERVICE_MISMATCH,
          BlobErrorCode.AUTHORIZATION_PROTOCOL_MISMATCH,
          BlobErrorCode.AUTHORIZATION_SOURCE_IPMISMATCH,
          BlobErrorCode.INSUFFICIENT_ACCOUNT_PERMISSIONS,
          BlobErrorCode.ACCOUNT_IS_DISABLED);
  private static final Set<BlobErrorCode> MISSING =
      Set.of(BlobErrorCode.CONTAINER_NOT_FOUND, BlobErrorCode.CONTAINER_BEING_DELETED);

  private final BlobContainerClient container;
  private final String bucket;
  private final String prefix;
  private final String where;
  private final String host;
  private final String account;
  private final List<String> secrets;

  private AzureObjectStore(
      BlobContainerClient container,
      String bucket,
      String prefix,
      String where,
      String host,
      String account,
      List<String> secrets) {
    this.container = container;
    this.bucket = bucket;
    this.prefix = prefix;
    this.where = where;
    this.host = host;
    this.account = account;
    this.secrets = secrets;
  }

  /**
   * A client for the location; connects only when used.
   *
   * @throws ObjectStoreException when the location cannot be reached as given
   */
  static AzureObjectStore open(Access access) {
    if (!(access.credentials() instanceof Credentials.AzureKey key)) {
      throw new ObjectStoreException(
          Failure.CREDENTIALS,
          "an Azure location signs in with a storage account name and key",
          null);
    }
    List<String> secrets = List.of(key.accountKey());
    URI given = SdkObjectStores.endpoint(access.endpoint());
    URI endpoint =
        given != null
            ? given
            : URI.create("https://" + key.accountName() + ".blob.core.windows.net");

    java.net.http.HttpClient.Builder jdk =
        java.net.http.HttpClient.newBuilder().connectTimeout(S3ObjectStore.CONNECT_TIMEOUT);
    if (access.caCertificate() != null && !access.caCertificate().isBlank()) {
      jdk.sslContext(TrustedCertificates.fromPem(access.caCertificate()).sslContext());
    }
    HttpClient http =
        new JdkHttpClientBuilder(jdk)
            .connectionTimeout(S3ObjectStore.CONNECT_TIMEOUT)
            .responseTimeout(S3ObjectStore.CALL_TIMEOUT)
            .readTimeout(S3ObjectStore.CALL_TIMEOUT)
            .build();
    BlobContainerClient container;
    try {
      container =
          new BlobServiceClientBuilder()
              .endpoint(endpoint.toString())
              .credential(new StorageSharedKeyCredential(key.accountName(), key.accountKey()))
              .httpClient(http)
              // Two retries, each try within the call timeout: a dead endpoint answers in seconds.
              .retryOptions(
                  new RequestRetryOptions(
                      RetryPolicyType.EXPONENTIAL,
                      3,
                      S3ObjectStore.CALL_TIMEOUT,
                      Duration.ofMillis(200),
                      Duration.ofSeconds(2),
                      null))
              .buildClient()
              .getBlobContainerClient(access.bucket());
    } catch (RuntimeException e) {
      throw new ObjectStoreException(
          Failure.OTHER,
          Diagnosis.redact(
              "cannot set up an Azure client for "
                  + endpoint
                  + ": "
                  + Diagnosis.firstLine(String.valueOf(e.getMessage())),
              secrets),
          null);
    }
    return new AzureObjectStore(
        container,
        access.bucket(),
        SdkObjectStores.prefix(access.prefix()),
        endpoint.toString(),
        endpoint.getHost(),
        key.accountName(),
        secrets);
  }

  @Override
  public Probe probe() {
    try {
      if (!container.exists()) {
        return missing().probe();
      }
    } catch (RuntimeException e) {
      return diagnose(e, "see").probe();
    }
    String key = SdkObjectStores.probeKey(prefix);
    BlobClient blob = container.getBlobClient(key);
    byte[] content = ("easel probe " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      blob.upload(BinaryData.fromBytes(content), false);
    } catch (RuntimeException e) {
      return diagnose(e, "write blobs to").probe();
    }
    try {
      byte[] read = blob.downloadContent().toBytes();
      if (!Arrays.equals(read, content)) {
        return new Probe(
            Failure.OTHER,
            "the probe blob read back from container '"
                + bucket
                + "' at "
                + where
                + " differs from what was written");
      }
    } catch (RuntimeException e) {
      return diagnose(e, "read blobs from").probe();
    }
    try {
      blob.delete();
    } catch (RuntimeException e) {
      return diagnose(e, "delete blobs from").probe();
    }
    return Probe.OK;
  }

  @Override
  public void list(String keyPrefix, Consumer<Entry> each) {
    var it =
        container
            .listBlobs(new ListBlobsOptions().setPrefix(keyPrefix).setMaxResultsPerPage(1000), null)
            .iterator();
    while (true) {
      BlobItem item;
      try {
        if (!it.hasNext()) {
          return;
        }
        item = it.next();
      } catch (RuntimeException e) {
        throw diagnose(e, "list blobs in").exception(e);
      }
      var p = item.getProperties();
      each.accept(
          new Entry(
              item.getName(),
              SdkObjectStores.unquote(p.getETag()),
              p.getContentLength() == null ? 0 : p.getContentLength(),
              p.getLastModified() == null ? null : p.getLastModified().toInstant()));
    }
  }

  @Override
  public void listFolders(String keyPrefix, Consumer<String> each) {
    var it =
        container
            .listBlobsByHierarchy(
                "/", new ListBlobsOptions().setPrefix(keyPrefix).setMaxResultsPerPage(1000), null)
            .iterator();
    while (true) {
      BlobItem item;
      try {
        if (!it.hasNext()) {
          return;
        }
        item = it.next();
      } catch (RuntimeException e) {
        throw diagnose(e, "list blobs in").exception(e);
      }
      if (Boolean.TRUE.equals(item.isPrefix())) {
        each.accept(item.getName());
      }
    }
  }

  @Override
  public Optional<byte[]> read(String key, long maxBytes) {
    int limit = SdkObjectStores.readLimit(maxBytes);
    String what = "blob '" + key + "' in container '" + bucket + "'";
    BlobInputStreamOptions options =
        new BlobInputStreamOptions().setBlockSize(Math.max(1, Math.min(limit, MAX_FIRST_CHUNK)));
    try (BlobInputStream in = container.getBlobClient(key).openInputStream(options)) {
      long size = in.getProperties().getBlobSize();
      if (size > maxBytes) {
        throw SdkObjectStores.tooLarge(what, size, maxBytes);
      }
      return Optional.of(in.readNBytes(limit));
    } catch (ObjectStoreException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      Optional<BlobStorageException> service = Diagnosis.find(e, BlobStorageException.class);
      if (service.isPresent()
          && service.get().getStatusCode() == 404
          && !MISSING.contains(service.get().getErrorCode())) {
        return Optional.empty();
      }
      throw diagnose(e, "read blobs from").exception(e);
    }
  }

  @Override
  public int deleteAll(String keyPrefix) {
    int deleted = 0;
    try {
      for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(keyPrefix), null)) {
        container.getBlobClient(item.getName()).delete();
        deleted++;
      }
    } catch (RuntimeException e) {
      throw diagnose(e, "delete blobs from").exception(e);
    }
    return deleted;
  }

  @Override
  public void close() {
    // The JDK's HTTP client has no close in Java 17; its connections end with it.
  }

  @Override
  public String toString() {
    return "AzureObjectStore[" + account + "/" + bucket + "/" + prefix + " at " + where + "]";
  }

  private Diagnosis missing() {
    return new Diagnosis(
        Failure.BUCKET_MISSING,
        "container '"
            + bucket
            + "' does not exist in storage account '"
            + account
            + "' at "
            + where);
  }

  Diagnosis diagnose(Throwable e, String action) {
    Optional<Diagnosis> network = Diagnosis.network(e, where, host);
    if (network.isPresent()) {
      return network.get().redacted(secrets);
    }
    Optional<BlobStorageException> service = Diagnosis.find(e, BlobStorageException.class);
    if (service.isEmpty()) {
      Failure failure =
          Diagnosis.find(e, IllegalArgumentException.class)
                  .filter(
                      i ->
                          String.valueOf(i.getMessage())
                              .toLowerCase(Locale.ROOT)
                              .contains("base64"))
                  .isPresent()
              ? Failure.CREDENTIALS
              : Failure.OTHER;
      String message =
          failure == Failure.CREDENTIALS
              ? "the storage account key is not base64"
              : "cannot "
                  + action
                  + " container '"
                  + bucket
                  + "' at "
                  + where
                  + ": "
                  + Diagnosis.deepestMessage(e);
      return new Diagnosis(failure, message).redacted(secrets);
    }
    BlobStorageException s = service.get();
    BlobErrorCode code = s.getErrorCode();
    int status = s.getStatusCode();
    String detail =
        code != null
            ? code.toString()
            : s.getResponse() != null
                    && s.getResponse().getHeaders().getValue("x-ms-request-id") == null
                ? "HTTP " + status + "; the endpoint does not answer as Azure Blob Storage does"
                : "HTTP " + status;
    Failure failure;
    if (code != null && CREDENTIALS.contains(code)) {
      failure = Failure.CREDENTIALS;
    } else if (code != null && MISSING.contains(code)) {
      failure = Failure.BUCKET_MISSING;
    } else if (code != null && PERMISSION.contains(code)) {
      failure = Failure.PERMISSION;
    } else if (code == null && status == 401) {
      failure = Failure.CREDENTIALS;
    } else if (code == null && status == 403) {
      failure = Failure.PERMISSION;
    } else if (code == null && status == 404 && action.equals("see")) {
      failure = Failure.BUCKET_MISSING;
    } else {
      failure = Failure.OTHER;
    }
    String message =
        switch (failure) {
          case CREDENTIALS ->
              where + " refused the key of storage account '" + account + "' (" + detail + ")";
          case BUCKET_MISSING -> missing().message();
          case PERMISSION ->
              "the storage account key may not "
                  + action
                  + " container '"
                  + bucket
                  + "' at "
                  + where
                  + " ("
                  + detail
                  + ")";
          default -> "cannot " + action + " container '" + bucket + "' at " + where + ": " + detail;
        };
    return new Diagnosis(failure, message).redacted(secrets);
  }
}
