package dev.easel.compliance.adapters.out.reports;

import java.util.Optional;

/** The SBOM formats {@link SbomParser} reads, by the ids Syft gives them with {@code -o}. */
public enum SbomFormat {
  SPDX_JSON("spdx-json"),
  CYCLONEDX_JSON("cyclonedx-json"),
  SYFT_JSON("syft-json");

  private final String id;

  SbomFormat(String id) {
    this.id = id;
  }

  /** Syft's id for the format: {@code spdx-json}, {@code cyclonedx-json} or {@code syft-json}. */
  public String id() {
    return id;
  }

  /**
   * The format with Syft's id, ignoring a version Syft may append ({@code cyclonedx-json@1.6});
   * empty for any other id.
   */
  public static Optional<SbomFormat> fromId(String id) {
    if (id == null) {
      return Optional.empty();
    }
    int at = id.indexOf('@');
    String bare = (at < 0 ? id : id.substring(0, at)).strip();
    for (SbomFormat format : values()) {
      if (format.id.equalsIgnoreCase(bare)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
