package dev.easel.compliance.adapters.out.objectstore;

import dev.easel.compliance.application.port.ObjectStores;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * Backup locations reached through each provider's own SDK (AWS SDK v2 for S3 and MinIO, Google
 * Cloud Storage's and Azure Blob Storage's clients), so that signing, retries and each service's
 * error codes are the providers' own.
 *
 * <p>Keys in {@link ObjectStore#list}, {@link ObjectStore#read} and {@link ObjectStore#deleteAll}
 * are whole object keys in the bucket, the location's prefix included; only the probe puts its
 * object under the prefix by itself.
 *
 * <p>{@link #open} never throws: a location that cannot even be set up (an endpoint that is not a
 * URL, a CA certificate that is not PEM, credentials of another provider's kind) opens as a store
 * whose probe names the problem and whose other methods throw it.
 */
@Component
public class SdkObjectStores implements ObjectStores {

  @Override
  public ObjectStore open(Access access) {
    Objects.requireNonNull(access, "access");
    try {
      return switch (access.provider()) {
        case S3, MINIO -> S3ObjectStore.open(access);
        case GCS -> GcsObjectStore.open(access);
        case AZURE -> AzureObjectStore.open(access);
      };
    } catch (ObjectStoreException e) {
      return new Unusable(new Diagnosis(e.failure(), e.getMessage()), access.toString());
    }
  }

  /**
   * The endpoint as a URI, or null when none is given.
   *
   * @throws ObjectStoreException OTHER when it is not an http or https URL
   */
  static URI endpoint(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    String trimmed = endpoint.strip();
    try {
      URI uri = new URI(trimmed);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // answered below, in the operator's words
    }
    throw new ObjectStoreException(
        Failure.OTHER,
        "the endpoint '" + trimmed + "' is not an http:// or https:// URL with a host",
        null);
  }

  /** The prefix without leading or trailing slashes; empty for none. */
  static String prefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    String p = prefix.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** A probe object's key: new each time, so that concurrent probes never meet. */
  static String probeKey(String prefix) {
    String name = ".easel-probe-" + UUID.randomUUID();
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** S3 and Azure quote their ETags; an entry carries the bare value. */
  static String unquote(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }

  /** How many bytes to read to know whether an object is larger than {@code maxBytes}. */
  static int readLimit(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    return (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
  }

  /**
   * An object refused for its size.
   *
   * @param size its size when the store said so, or -1 when only reading showed it
   */
  static ObjectStoreException tooLarge(String what, long size, long maxBytes) {
    return new ObjectStoreException(
        Failure.OTHER,
        what
            + (size >= 0 ? " is " + size + " bytes, more than " : " is larger than ")
            + maxBytes
            + " bytes, the most read at once",
        null);
  }

  /** A location that cannot even be set up; says why wherever it is used. */
  private record Unusable(Diagnosis diagnosis, String access) implements ObjectStore {

    @Override
    public Probe probe() {
      return diagnosis.probe();
    }

    @Override
    public void list(String keyPrefix, Consumer<Entry> each) {
      throw diagnosis.exception(null);
    }

    @Override
    public void listFolders(String keyPrefix, Consumer<String> each) {
      throw diagnosis.exception(null);
    }

    @Override
    public Optional<byte[]> read(String key, long maxBytes) {
      throw diagnosis.exception(null);
    }

    @Override
    public int deleteAll(String keyPrefix) {
      throw diagnosis.exception(null);
    }

    @Override
    public void close() {}

    @Override
    public String toString() {
      return "Unusable[" + access + ": " + diagnosis.failure() + "]";
    }
  }
}
