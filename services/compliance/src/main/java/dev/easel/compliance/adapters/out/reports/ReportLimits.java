package dev.easel.compliance.adapters.out.reports;

/**
 * How much of a report a parser reads before it gives up. A report comes from a node agent, which
 * runs a tool on a cluster we do not fully trust; these bounds keep one bad report from costing the
 * service more than a scan is worth.
 *
 * @param maxBytes the most bytes read from the report as delivered (compressed, for an archive)
 * @param maxUncompressedBytes the most bytes an archive may decompress to, all entries together
 * @param maxEntries the most entries an archive may hold, directories included
 */
public record ReportLimits(long maxBytes, long maxUncompressedBytes, int maxEntries) {

  /**
   * 256 MiB of report: a Grype report of an image with tens of thousands of matches, or a Syft SBOM
   * of a large image, is tens of megabytes.
   */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  /** 1 GiB: a Sonobuoy tarball of a certified-conformance run decompresses to tens of megabytes. */
  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 1L << 30;

  /** A Sonobuoy tarball of a large cluster holds a few thousand entries, mostly resource dumps. */
  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  public ReportLimits {
    if (maxBytes <= 0 || maxUncompressedBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("report limits must be positive");
    }
  }

  /** The defaults above. */
  public static ReportLimits defaults() {
    return new ReportLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_ENTRIES);
  }

  /** A byte count as people read it: {@code 256 MiB}, {@code 1 GiB}, {@code 1000 bytes}. */
  static String describe(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
