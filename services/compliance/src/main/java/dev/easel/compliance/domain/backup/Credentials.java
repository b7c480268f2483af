package dev.easel.compliance.domain.backup;

import java.util.Objects;

/**
 * What a backup location signs in with. Write-only: sealed at rest, never returned, never logged;
 * {@link #toString()} says only which kind it is.
 */
public sealed interface Credentials {

  /** S3 and MinIO: an access key pair. */
  record AccessKeys(String accessKeyId, String secretAccessKey) implements Credentials {
    public AccessKeys {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "AccessKeys[***]";
    }
  }

  /** Google Cloud Storage: a service account's JSON key. */
  record ServiceAccount(String json) implements Credentials {
    public ServiceAccount {
      Objects.requireNonNull(json, "json");
    }

    @Override
    public String toString() {
      return "ServiceAccount[***]";
    }
  }

  /** Azure Blob Storage: a storage account and one of its keys. */
  record AzureKey(String accountName, String accountKey) implements Credentials {
    public AzureKey {
      Objects.requireNonNull(accountName, "accountName");
      Objects.requireNonNull(accountKey, "accountKey");
    }

    @Override
    public String toString() {
      return "AzureKey[***]";
    }
  }

  /**
   * The file Velero's plugin reads its credentials from (the {@code cloud} key of the location's
   * secret): an AWS shared-credentials file, the service account JSON, or Azure's environment
   * lines.
   */
  default String veleroFile() {
    if (this instanceof AccessKeys k) {
      return "[default]\naws_access_key_id="
          + k.accessKeyId()
          + "\naws_secret_access_key="
          + k.secretAccessKey()
          + "\n";
    }
    if (this instanceof ServiceAccount s) {
      return s.json();
    }
    AzureKey a = (AzureKey) this;
    return "AZURE_STORAGE_ACCOUNT_ACCESS_KEY="
        + a.accountKey()
        + "\nAZURE_CLOUD_NAME=AzurePublicCloud\n";
  }
}
