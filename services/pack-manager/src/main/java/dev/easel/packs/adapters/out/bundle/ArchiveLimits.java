package dev.easel.packs.adapters.out.bundle;

/**
 * What an uploaded archive may cost to read.
 *
 * <p>The caps bound disk, memory and CPU before any content is trusted:
 *
 * <ul>
 *   <li>{@code maxTotalBytes}: the sum of the declared sizes of all files in the archive; the
 *       decompressed tar stream itself may exceed it only by per-entry header overhead;
 *   <li>{@code maxEntries}: entries of any kind (files, directories, links), not counting the
 *       extended headers that belong to an entry;
 *   <li>{@code maxEntryBytes}: one file's declared size;
 *   <li>{@code maxRatio}: decompressed bytes over compressed bytes read so far, checked on every
 *       read once more than {@link #RATIO_GRACE_BYTES} have come out, so that small archives with
 *       mostly empty tar padding are not mistaken for bombs.
 * </ul>
 */
public record ArchiveLimits(
    long maxTotalBytes, int maxEntries, long maxEntryBytes, double maxRatio) {

  /** Output below which the compression ratio is not checked. */
  public static final long RATIO_GRACE_BYTES = 1L << 20;

  private static final long GIB = 1L << 30;

  public ArchiveLimits {
    if (maxTotalBytes <= 0 || maxEntries <= 0 || maxEntryBytes <= 0) {
      throw new IllegalArgumentException("archive limits must be positive");
    }
    if (!(maxRatio >= 1)) {
      throw new IllegalArgumentException("the compression ratio cap must be at least 1");
    }
  }

  /**
   * The defaults for uploads: 8 GiB in all, 10,000 entries, 4 GiB in one file, and a ratio of 200.
   * Container layers in a bundle are already compressed (ratio near 1) and a pack of YAML and
   * charts compresses perhaps tenfold, while a run of zeros compresses about a thousandfold in gzip
   * and far more in zstd, so 200 leaves real archives a wide margin and still stops a bomb within
   * its first megabytes.
   */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(8 * GIB, 10_000, 4 * GIB, 200);
  }
}
