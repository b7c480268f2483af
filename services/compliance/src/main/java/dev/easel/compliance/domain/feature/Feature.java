package dev.easel.compliance.domain.feature;

import java.util.Locale;
import java.util.Optional;

/**
 * The compliance features of the seed's table. The Third Party Pack makes the first four available;
 * the Third Party Conformance Pack the last.
 */
public enum Feature {
  BACKUP_RESTORE("backup-restore", "backup", "Backup and Restore", "velero"),
  CONFIGURATION_SECURITY(
      "configuration-security", "configuration-security", "Configuration Security", "kube-bench"),
  PENETRATION_TESTING(
      "penetration-testing", "penetration-testing", "Penetration Testing", "kube-hunter"),
  SBOM("sbom", "sbom", "SBOM: Dependencies and Vulnerabilities", "syft"),
  CONFORMANCE("conformance", "conformance", "Conformance Testing", "sonobuoy");

  private final String wireName;
  private final String packKey;
  private final String title;
  private final String tool;

  Feature(String wireName, String packKey, String title, String tool) {
    this.wireName = wireName;
    this.packKey = packKey;
    this.title = title;
    this.tool = tool;
  }

  /** Its key under the pack's {@code features}: {@code backup}, {@code sbom}, ... */
  public String packKey() {
    return packKey;
  }

  /** Its name in the API and in events: {@code configuration-security}. */
  public String wireName() {
    return wireName;
  }

  public String title() {
    return title;
  }

  /** The tool it installs and runs. */
  public String tool() {
    return tool;
  }

  public static Optional<Feature> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Feature f : values()) {
      if (f.wireName.equals(t)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
