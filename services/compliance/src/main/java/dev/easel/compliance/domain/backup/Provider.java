package dev.easel.compliance.domain.backup;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a backup location keeps its objects, and which Velero object-store plugin writes there.
 * MinIO is S3 with an endpoint of its own and path-style addressing.
 */
public enum Provider {
  S3("aws"),
  MINIO("aws"),
  GCS("gcp"),
  AZURE("azure");

  private final String veleroProvider;

  Provider(String veleroProvider) {
    this.veleroProvider = veleroProvider;
  }

  /** The name Velero's BackupStorageLocation gives the plugin: aws, gcp or azure. */
  public String veleroProvider() {
    return veleroProvider;
  }

  /** s3, minio, gcs or azure. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean s3Compatible() {
    return this == S3 || this == MINIO;
  }

  public static Optional<Provider> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    for (Provider p : values()) {
      if (p.wireName().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
