package dev.easel.agent.simulate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The bucket of a backup storage location, reached as Velero's object-store plugin reaches it.
 * Provider {@code aws} is the S3 API: Amazon's endpoint for the region, or the S3-compatible server
 * at {@code s3Url}, with the access key in the location's credentials. The simulator has no client
 * for {@code gcp} or {@code azure}: their buckets are kept in this process's memory, shared by
 * every simulated cluster, so a backup made on one cluster restores on another.
 */
abstract class VeleroBucket {

  /** A call the object store refused or that did not reach it, worded as Velero reports it. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }

  /** Writes an object, replacing any with its key. */
  abstract void put(String key, byte[] content) throws Failure;

  /** The object with this key; empty when there is none. */
  abstract Optional<byte[]> get(String key) throws Failure;

  /** Whether any object's key starts with {@code prefix}. */
  abstract boolean exists(String prefix) throws Failure;

  /**
   * The bucket of {@code location}.
   *
   * @param credentials the content of its credential secret's key, an AWS shared credentials file
   *     for {@code aws}; null when the location has no secret
   */
  static VeleroBucket of(VeleroLocation location, String credentials) throws Failure {
    if (!"aws".equals(location.provider()) && !"velero.io/aws".equals(location.provider())) {
      return new InMemory(
          MEMORY.computeIfAbsent(
              location.provider()
                  + "/"
                  + location.config().getOrDefault("storageAccount", "")
                  + "/"
                  + location.bucket(),
              k -> new ConcurrentHashMap<>()));
    }
    if (credentials == null) {
      throw new Failure(
          "rpc error: code = Unknown desc = failed to get credentials for location "
              + location.name()
              + ": no secret named in spec.credential");
    }
    return new S3(client(location, credentials), location.bucket());
  }

  /** The buckets of the providers the simulator has no client for, by provider and name. */
  private static final Map<String, Map<String, byte[]>> MEMORY = new ConcurrentHashMap<>();

  /**
   * Clients by everything that shapes them, credentials included: clients are thread-safe and each
   * holds its own connections, so one per location is made once for the process.
   */
  private static final Map<ClientKey, S3Client> CLIENTS = new ConcurrentHashMap<>();

  private record ClientKey(
      String endpoint, String region, boolean pathStyle, String caCert, String credentials) {

    /** Without the credentials. */
    @Override
    public String toString() {
      return "ClientKey[" + endpoint + ", " + region + "]";
    }
  }

  private static S3Client client(VeleroLocation location, String credentials) throws Failure {
    Map<String, String> config = location.config();
    ClientKey key =
        new ClientKey(
            config.get("s3Url"),
            config.getOrDefault("region", "us-east-1"),
            Boolean.parseBoolean(config.getOrDefault("s3ForcePathStyle", "false")),
            location.caCert(),
            credentials);
    S3Client existing = CLIENTS.get(key);
    if (existing != null) {
      return existing;
    }
    AwsCredentials aws = credentials(credentials, config.getOrDefault("profile", "default"));
    UrlConnectionHttpClient.Builder http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30));
    if (key.caCert() != null && !key.caCert().isBlank()) {
      TrustManager[] trust = trusting(key.caCert());
      http.tlsTrustManagersProvider(() -> trust);
    }
    var builder =
        S3Client.builder()
            .httpClient(http.build())
            .region(Region.of(key.region()))
            .forcePathStyle(key.pathStyle())
            // S3-compatible servers do not all take the SDK's default trailing checksums.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(aws));
    if (key.endpoint() != null && !key.endpoint().isBlank()) {
      try {
        builder.endpointOverride(URI.create(key.endpoint()));
      } catch (IllegalArgumentException e) {
        throw new Failure("invalid s3Url " + key.endpoint() + ": " + e.getMessage());
      }
    }
    S3Client made = builder.build();
    S3Client raced = CLIENTS.putIfAbsent(key, made);
    if (raced != null) {
      made.close();
      return raced;
    }
    return made;
  }

  /** The keys of one profile of an AWS shared credentials file. */
  static AwsCredentials credentials(String file, String profile) throws Failure {
    String section = null;
    String accessKey = null;
    String secretKey = null;
    String sessionToken = null;
    for (String raw : file.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).strip();
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0 || !profile.equals(section)) {
        continue;
      }
      String name = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      switch (name) {
        case "aws_access_key_id" -> accessKey = value;
        case "aws_secret_access_key" -> secretKey = value;
        case "aws_session_token" -> sessionToken = value;
        default -> {}
      }
    }
    if (accessKey == null || secretKey == null) {
      throw new Failure(
          "rpc error: code = Unknown desc = failed to get credentials: profile "
              + profile
              + " of the credentials file has no aws_access_key_id and aws_secret_access_key");
    }
    return sessionToken == null
        ? AwsBasicCredentials.create(accessKey, secretKey)
        : AwsSessionCredentials.create(accessKey, secretKey, sessionToken);
  }

  private static TrustManager[] trusting(String caCertBase64) throws Failure {
    try {
      byte[] pem = Base64.getMimeDecoder().decode(caCertBase64);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem))) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      throw new Failure("invalid caCert: " + e.getMessage());
    }
  }

  private static final class S3 extends VeleroBucket {

    private final S3Client client;
    private final String bucket;

    S3(S3Client client, String bucket) {
      this.client = client;
      this.bucket = bucket;
    }

    @Override
    void put(String key, byte[] content) throws Failure {
      try {
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
      } catch (SdkException e) {
        throw failure("error putting object " + key + ": ", "PutObject", e);
      }
    }

    @Override
    Optional<byte[]> get(String key) throws Failure {
      try {
        return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      } catch (SdkException e) {
        throw failure("error getting object " + key + ": ", "GetObject", e);
      }
    }

    @Override
    boolean exists(String prefix) throws Failure {
      try {
        return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() > 0;
      } catch (SdkException e) {
        throw failure("", "ListObjectsV2", e);
      }
    }

    /**
     * As velero-plugin-for-aws reports an error of aws-sdk-go-v2 through the plugin's gRPC: the
     * operation, the HTTP status and the S3 error code and message.
     */
    private static Failure failure(String context, String operation, SdkException e) {
      String cause;
      if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
        String message = s.awsErrorDetails().errorMessage();
        cause =
            "https response error StatusCode: "
                + s.statusCode()
                + ", RequestID: "
                + (s.requestId() == null ? "" : s.requestId())
                + ", HostID: "
                + (s.extendedRequestId() == null ? "" : s.extendedRequestId())
                + ", api error "
                + s.awsErrorDetails().errorCode()
                + ": "
                + (message == null ? s.statusCode() + "" : message);
      } else {
        cause = e.getMessage();
      }
      return new Failure(
          "rpc error: code = Unknown desc = "
              + context
              + "operation error S3: "
              + operation
              + ", "
              + cause);
    }
  }

  private static final class InMemory extends VeleroBucket {

    private final Map<String, byte[]> objects;

    InMemory(Map<String, byte[]> objects) {
      this.objects = objects;
    }

    @Override
    void put(String key, byte[] content) {
      objects.put(key, content.clone());
    }

    @Override
    Optional<byte[]> get(String key) {
      return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    boolean exists(String prefix) {
      return objects.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }
  }
}
