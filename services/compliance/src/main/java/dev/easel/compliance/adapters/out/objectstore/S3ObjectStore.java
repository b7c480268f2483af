package dev.easel.compliance.adapters.out.objectstore;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An S3 bucket, on AWS or on an S3-compatible server such as MinIO, through the AWS SDK's blocking
 * client on Apache HttpClient: one client per location, shared by the threads that sync its
 * backups.
 */
final class S3ObjectStore implements ObjectStore {

  /** Backup sync reads from 16 threads at once; headroom for a probe or listing beside them. */
  static final int MAX_CONNECTIONS = 32;

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** The most keys one DeleteObjects request takes. */
  private static final int DELETE_BATCH = 1000;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String where;
  private final String host;
  private final String region;
  private final List<String> secrets;

  private S3ObjectStore(
      S3Client s3,
      String bucket,
      String prefix,
      String where,
      String host,
      String region,
      List<String> secrets) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.where = where;
    this.host = host;
    this.region = region;
    this.secrets = secrets;
  }

  /**
   * A client for the location; connects only when used.
   *
   * @throws ObjectStoreException when the location cannot be reached as given
   */
  static S3ObjectStore open(Access access) {
    if (!(access.credentials() instanceof Credentials.AccessKeys keys)) {
      throw new ObjectStoreException(
          Failure.CREDENTIALS, "an S3 location signs in with an access key pair", null);
    }
    String region = blank(access.region()) ? Region.US_EAST_1.id() : access.region().strip();
    URI endpoint = SdkObjectStores.endpoint(access.endpoint());

    ApacheHttpClient.Builder http =
        ApacheHttpClient.builder()
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(CONNECT_TIMEOUT)
            .socketTimeout(CALL_TIMEOUT)
            .connectionAcquisitionTimeout(CALL_TIMEOUT);
    if (!blank(access.caCertificate())) {
      TrustedCertificates trusted = TrustedCertificates.fromPem(access.caCertificate());
      http.tlsTrustManagersProvider(trusted::trustManagers);
    }
    ClientOverrideConfiguration.Builder override =
        ClientOverrideConfiguration.builder()
            .apiCallTimeout(CALL_TIMEOUT)
            // Two retries: a probe of a dead endpoint answers in seconds.
            .retryStrategy(r -> r.maxAttempts(3));
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(http)
            .region(Region.of(region))
            .forcePathStyle(access.pathStyle())
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())));
    String where;
    String host;
    if (endpoint != null) {
      // S3-compatible servers (older MinIO, Ceph) reject the SDK's trailing checksums, and some
      // want Content-MD5 where S3 requires a checksum: checksums only where S3 requires one,
      // with MD5 beside the SDK's CRC32. The probe compares what it reads back.
      builder
          .endpointOverride(endpoint)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
          .addPlugin(LegacyMd5Plugin.create());
      where = endpoint.toString();
      host = endpoint.getHost();
    } else {
      where = "AWS S3 in " + region;
      host = "s3." + region + ".amazonaws.com";
    }
    builder.overrideConfiguration(override.build());
    S3Client s3;
    try {
      s3 = builder.build();
    } catch (SdkException | IllegalArgumentException e) {
      throw new ObjectStoreException(
          Failure.OTHER,
          Diagnosis.redact(
              "cannot set up an S3 client for " + where + ": " + e.getMessage(),
              List.of(keys.accessKeyId(), keys.secretAccessKey())),
          null);
    }
    return new S3ObjectStore(
        s3,
        access.bucket(),
        SdkObjectStores.prefix(access.prefix()),
        where,
        host,
        region,
        List.of(keys.accessKeyId(), keys.secretAccessKey()));
  }

  @Override
  public Probe probe() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (RuntimeException e) {
      return bucketCheckFailed(e).probe();
    }
    String key = SdkObjectStores.probeKey(prefix);
    byte[] content = ("easel probe " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    } catch (RuntimeException e) {
      return diagnose(e, "write objects to").probe();
    }
    try {
      byte[] read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
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
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (RuntimeException e) {
      return diagnose(e, "delete objects from").probe();
    }
    return Probe.OK;
  }

  @Override
  public void list(String keyPrefix, Consumer<Entry> each) {
    Iterable<S3Object> objects;
    try {
      objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents();
    } catch (RuntimeException e) {
      throw diagnose(e, "list objects in").exception(e);
    }
    var it = objects.iterator();
    while (true) {
      S3Object o;
      try {
        if (!it.hasNext()) {
          return;
        }
        o = it.next();
      } catch (RuntimeException e) {
        throw diagnose(e, "list objects in").exception(e);
      }
      each.accept(
          new Entry(o.key(), SdkObjectStores.unquote(o.eTag()), o.size(), o.lastModified()));
    }
  }

  @Override
  public void listFolders(String keyPrefix, Consumer<String> each) {
    Iterable<CommonPrefix> folders;
    try {
      folders =
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix).delimiter("/"))
              .commonPrefixes();
    } catch (RuntimeException e) {
      throw diagnose(e, "list folders in").exception(e);
    }
    var it = folders.iterator();
    while (true) {
      CommonPrefix p;
      try {
        if (!it.hasNext()) {
          return;
        }
        p = it.next();
      } catch (RuntimeException e) {
        throw diagnose(e, "list folders in").exception(e);
      }
      each.accept(p.prefix());
    }
  }

  @Override
  public Optional<byte[]> read(String key, long maxBytes) {
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = s3.getObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      if (e instanceof AwsServiceException s
          && s.statusCode() == 404
          && !(e instanceof NoSuchBucketException)
          && !"NoSuchBucket".equals(code(s))) {
        return Optional.empty();
      }
      throw diagnose(e, "read objects from").exception(e);
    }
    try (in) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        in.abort();
        throw tooLarge(key, length, maxBytes);
      }
      byte[] bytes = in.readNBytes(SdkObjectStores.readLimit(maxBytes));
      if (bytes.length > maxBytes) {
        in.abort();
        throw tooLarge(key, -1, maxBytes);
      }
      return Optional.of(bytes);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ObjectStoreException o) {
        throw o;
      }
      throw diagnose(e, "read objects from").exception(e);
    }
  }

  @Override
  public int deleteAll(String keyPrefix) {
    int deleted = 0;
    List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(keyPrefix)).contents()) {
        batch.add(ObjectIdentifier.builder().key(o.key()).build());
        if (batch.size() == DELETE_BATCH) {
          deleted += deleteBatch(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        deleted += deleteBatch(batch);
      }
    } catch (ObjectStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw diagnose(e, "delete objects from").exception(e);
    }
    return deleted;
  }

  @Override
  public void close() {
    s3.close();
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + bucket + "/" + prefix + " at " + where + "]";
  }

  private int deleteBatch(List<ObjectIdentifier> keys) {
    List<ObjectIdentifier> copy = List.copyOf(keys);
    DeleteObjectsResponse response =
        s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(copy).quiet(true)));
    if (response.hasErrors() && !response.errors().isEmpty()) {
      S3Error first = response.errors().get(0);
      Failure failure =
          "AccessDenied".equals(first.code()) ? Failure.PERMISSION : serviceFailure(first.code());
      throw new ObjectStoreException(
          failure,
          Diagnosis.redact(
              "could not delete "
                  + response.errors().size()
                  + " of "
                  + copy.size()
                  + " objects from bucket '"
                  + bucket
                  + "' at "
                  + where
                  + ", the first '"
                  + first.key()
                  + "': "
                  + first.code()
                  + " ("
                  + first.message()
                  + ")",
              secrets),
          null);
    }
    return copy.size();
  }

  private ObjectStoreException tooLarge(String key, long size, long maxBytes) {
    return SdkObjectStores.tooLarge(
        "object '" + key + "' in bucket '" + bucket + "'", size, maxBytes);
  }

  /**
   * HeadBucket answers without a body, so a 403 does not say whether the keys are wrong or only not
   * allowed; ListObjectsV2 on the same bucket answers with S3's error code.
   */
  private Diagnosis bucketCheckFailed(RuntimeException e) {
    if (e instanceof AwsServiceException s && code(s) == null && s.statusCode() != 404) {
      try {
        s3.listObjectsV2(b -> b.bucket(bucket).maxKeys(1));
      } catch (RuntimeException listing) {
        if (!(listing instanceof AwsServiceException l) || code(l) != null) {
          return diagnose(listing, "list objects in");
        }
      }
    }
    return diagnose(e, "see");
  }

  /**
   * What went wrong, in words for the operator.
   *
   * @param action what the credentials were trying to do to the bucket, as in "may not {@code
   *     action} bucket 'velero'"
   */
  Diagnosis diagnose(Throwable e, String action) {
    Optional<Diagnosis> network = Diagnosis.network(e, where, host);
    if (network.isPresent()) {
      return network.get().redacted(secrets);
    }
    if (Diagnosis.find(e, ApiCallTimeoutException.class).isPresent()
        || Diagnosis.find(e, ApiCallAttemptTimeoutException.class).isPresent()) {
      return Diagnosis.timedOut(where);
    }
    Optional<AwsServiceException> service = Diagnosis.find(e, AwsServiceException.class);
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
    AwsServiceException s = service.get();
    String code = code(s);
    int status = s.statusCode();
    Failure failure =
        code != null
            ? serviceFailure(code)
            : s instanceof NoSuchBucketException || status == 404
                ? Failure.BUCKET_MISSING
                : status == 401 ? Failure.CREDENTIALS : status == 403 ? Failure.PERMISSION : null;
    if (failure == null || failure == Failure.OTHER) {
      if (status == 301 || "PermanentRedirect".equals(code)) {
        String actual =
            s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null
                ? null
                : s.awsErrorDetails()
                    .sdkHttpResponse()
                    .firstMatchingHeader("x-amz-bucket-region")
                    .orElse(null);
        return new Diagnosis(
            Failure.OTHER,
            "bucket '"
                + bucket
                + "' is not in region "
                + region
                + (actual == null ? "" : " but in " + actual)
                + " at "
                + where);
      }
      failure = Failure.OTHER;
    }
    String detail = serviceMessage(s, code, status);
    String message =
        switch (failure) {
          case CREDENTIALS ->
              "InvalidAccessKeyId".equals(code)
                  ? where + " does not know the access key (" + detail + ")"
                  : "SignatureDoesNotMatch".equals(code)
                      ? where
                          + " refused the request signature: the secret key does not belong to"
                          + " the access key ("
                          + detail
                          + ")"
                      : where + " refused the credentials (" + detail + ")";
          case BUCKET_MISSING -> "bucket '" + bucket + "' does not exist at " + where;
          case PERMISSION ->
              "the credentials may not "
                  + action
                  + " bucket '"
                  + bucket
                  + "' at "
                  + where
                  + " ("
                  + detail
                  + ")";
          default -> "cannot " + action + " bucket '" + bucket + "' at " + where + ": " + detail;
        };
    return new Diagnosis(failure, message).redacted(secrets);
  }

  private static Failure serviceFailure(String code) {
    return switch (code) {
      case "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "TokenRefreshRequired",
          "InvalidSecurity",
          "Unauthorized" ->
          Failure.CREDENTIALS;
      case "NoSuchBucket" -> Failure.BUCKET_MISSING;
      case "AccessDenied", "AllAccessDisabled", "AccountProblem", "Forbidden" -> Failure.PERMISSION;
      default -> Failure.OTHER;
    };
  }

  /** S3's error code, or null when the answer had none (HEAD requests carry no body). */
  private static String code(AwsServiceException s) {
    String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
    if (code == null || code.isBlank() || Character.isDigit(code.charAt(0))) {
      return null;
    }
    return code;
  }

  private static String serviceMessage(AwsServiceException s, String code, int status) {
    String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
    StringBuilder b = new StringBuilder();
    b.append(code != null ? code : "HTTP " + status);
    if (message != null && !message.isBlank()) {
      b.append(": ").append(Diagnosis.firstLine(message));
    }
    return b.toString();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
