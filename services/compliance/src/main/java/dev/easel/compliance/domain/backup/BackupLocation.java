package dev.easel.compliance.domain.backup;

import java.time.Instant;
import java.util.UUID;

/**
 * Where backups go: a bucket (an Azure container) under a prefix, on a provider. Its credentials
 * are kept apart, sealed; nothing here is secret.
 *
 * @param prefix without leading or trailing slash; empty for none
 * @param endpoint an S3-compatible server's URL, or another endpoint for GCS or Azure; null for the
 *     provider's own
 * @param caCertificate PEM certificates to trust for the endpoint; null for the usual ones
 * @param health what the last check found
 * @param lastSyncedAt when its backups were last read from the bucket; null before the first
 * @param version the row's version, for {@code If-Match}
 */
public record BackupLocation(
    UUID id,
    String name,
    Provider provider,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    boolean pathStyle,
    String caCertificate,
    Health health,
    Instant lastSyncedAt,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * The last check of a location.
   *
   * @param failure dns, tls, connection, credentials, bucket-missing, permission or other; null
   *     when it worked, or before the first check
   */
  public record Health(String state, String failure, String message, Instant checkedAt) {
    public static final String AVAILABLE = "Available";
    public static final String UNAVAILABLE = "Unavailable";

    public boolean available() {
      return AVAILABLE.equals(state);
    }
  }

  /** The BackupStorageLocation's name in the cluster: {@code easel-<name>}. */
  public String veleroName() {
    return "easel-" + name;
  }

  /** Where Velero keeps its backups in the bucket: {@code <prefix>/backups/}. */
  public String backupsKeyPrefix() {
    return (prefix == null || prefix.isEmpty() ? "" : prefix + "/") + "backups/";
  }

  /** Where Velero keeps its restores' logs and results: {@code <prefix>/restores/}. */
  public String restoresKeyPrefix() {
    return (prefix == null || prefix.isEmpty() ? "" : prefix + "/") + "restores/";
  }

  public BackupLocation withHealth(Health h) {
    return new BackupLocation(
        id,
        name,
        provider,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        caCertificate,
        h,
        lastSyncedAt,
        createdAt,
        updatedAt,
        version);
  }

  public BackupLocation synced(Instant at) {
    return new BackupLocation(
        id,
        name,
        provider,
        bucket,
        prefix,
        region,
        endpoint,
        pathStyle,
        caCertificate,
        health,
        at,
        createdAt,
        updatedAt,
        version);
  }
}
