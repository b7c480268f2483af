package dev.easel.compliance.domain.scan;

import dev.easel.compliance.domain.feature.Feature;
import java.util.Locale;
import java.util.Optional;

/** The four kinds of scan, each the work of one feature's tool. */
public enum ScanKind {
  CONFIGURATION("configuration", Feature.CONFIGURATION_SECURITY),
  PENETRATION("penetration", Feature.PENETRATION_TESTING),
  SBOM("sbom", Feature.SBOM),
  CONFORMANCE("conformance", Feature.CONFORMANCE);

  private final String wireName;
  private final Feature feature;

  ScanKind(String wireName, Feature feature) {
    this.wireName = wireName;
    this.feature = feature;
  }

  public String wireName() {
    return wireName;
  }

  /** The feature that must be enabled on the cluster. */
  public Feature feature() {
    return feature;
  }

  public static Optional<ScanKind> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (ScanKind k : values()) {
      if (k.wireName.equals(t)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
