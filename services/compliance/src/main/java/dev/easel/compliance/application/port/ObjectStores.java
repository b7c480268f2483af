package dev.easel.compliance.application.port;

import dev.easel.compliance.domain.backup.Credentials;
import dev.easel.compliance.domain.backup.Provider;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/** The object stores backup locations point at, reached through each provider's own SDK. */
public interface ObjectStores {

  /** Opens a client for one location; the caller closes it. Never connects by itself. */
  ObjectStore open(Access access);

  /**
   * How to reach a location.
   *
   * @param prefix the location's prefix without leading or trailing slash; empty for none
   * @param endpoint an S3-compatible server's URL (MinIO), or a GCS or Azure endpoint to use
   *     instead of the public one; null for the provider's own
   * @param caCertificate PEM certificates to trust for the endpoint, in place of the JDK's; null
   *     for the JDK's
   * @param container Azure's container is {@code bucket}; the storage account comes from the
   *     credentials
   */
  record Access(
      Provider provider,
      String bucket,
      String prefix,
      String region,
      String endpoint,
      boolean pathStyle,
      String caCertificate,
      Credentials credentials) {

    /** Never the credentials. */
    @Override
    public String toString() {
      return "Access[" + provider + " " + bucket + "/" + prefix + " at " + endpoint + "]";
    }
  }

  /** One location's client. Every method may block on the network. */
  interface ObjectStore extends AutoCloseable {

    /**
     * Checks the bucket exists, then writes, reads back and deletes a small probe object under the
     * prefix. Never throws.
     */
    Probe probe();

    /**
     * Every object whose key starts with {@code keyPrefix}, page by page, in key order.
     *
     * @throws ObjectStoreException when the store cannot be listed
     */
    void list(String keyPrefix, Consumer<Entry> each);

    /**
     * The folders directly under {@code keyPrefix} (which ends with a slash): each common prefix of
     * the keys below it up to the next slash, as a whole key ending with a slash, page by page.
     * This is how Velero lists its backups, without listing every file of each.
     *
     * @throws ObjectStoreException when the store cannot be listed
     */
    void listFolders(String keyPrefix, Consumer<String> each);

    /**
     * One object's bytes, or empty when there is no such object.
     *
     * @throws ObjectStoreException when it cannot be read, or is larger than {@code maxBytes}
     */
    Optional<byte[]> read(String key, long maxBytes);

    /**
     * Deletes every object whose key starts with {@code keyPrefix}.
     *
     * @return how many were deleted
     * @throws ObjectStoreException when they cannot be deleted
     */
    int deleteAll(String keyPrefix);

    @Override
    void close();
  }

  /** One object in a listing. */
  record Entry(String key, String etag, long size, Instant lastModified) {}

  /**
   * The outcome of a probe.
   *
   * @param failure null when the location works
   * @param message what failed, in words an operator can act on; null when it works
   */
  record Probe(Failure failure, String message) {

    public static final Probe OK = new Probe(null, null);

    public boolean ok() {
      return failure == null;
    }
  }

  /** Why a location does not work. */
  enum Failure {
    /** The endpoint's host name does not resolve. */
    DNS,
    /** The TLS handshake failed: an untrusted or mismatched certificate. */
    TLS,
    /** Nothing answers at the endpoint, or it stopped answering. */
    CONNECTION,
    /** The store refused the credentials: an unknown key or a bad signature. */
    CREDENTIALS,
    /** The bucket (or Azure container) does not exist. */
    BUCKET_MISSING,
    /** The credentials are valid but may not read, write or delete there. */
    PERMISSION,
    /** Anything else; the message says what. */
    OTHER
  }

  /** A store operation that failed; {@link #failure()} says how. */
  final class ObjectStoreException extends RuntimeException {
    private final Failure failure;

    public ObjectStoreException(Failure failure, String message, Throwable cause) {
      super(message, cause);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }
}
