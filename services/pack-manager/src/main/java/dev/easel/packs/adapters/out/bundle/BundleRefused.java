package dev.easel.packs.adapters.out.bundle;

import java.util.ArrayList;
import java.util.List;

/**
 * An uploaded archive that Easel will not take, with every problem found before reading stopped.
 *
 * <p>{@link #type()} is a stable kebab-case problem type, suitable for the {@code type} of an RFC
 * 9457 problem answer; {@link #problems()} are human sentences, each naming the entry, blob or
 * field at fault. Readers stop at the first problem that makes further reading unsafe (a bad path,
 * a bomb, a digest mismatch), so those refusals carry one problem; checks that run over a
 * completely read archive (a pack's {@code pack.json}, an OCI layout's graph) report them all.
 */
public final class BundleRefused extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An entry name is absolute, climbs with {@code ..}, holds a backslash, NUL or is too long. */
  public static final String UNSAFE_PATH = "unsafe-path";

  /** A symbolic or hard link points outside the archive, or links are not allowed at all. */
  public static final String UNSAFE_LINK = "unsafe-link";

  /** A device, FIFO, sparse file or an entry type Easel does not read. */
  public static final String SPECIAL_FILE = "special-file";

  public static final String TOO_MANY_ENTRIES = "too-many-entries";

  /** An entry, the archive, or a file Easel keeps in memory is over its cap. */
  public static final String TOO_LARGE = "too-large";

  /** The stream expands more than the allowed ratio over its compressed size. */
  public static final String DECOMPRESSION_BOMB = "decompression-bomb";

  /** The gzip, zstd or tar stream ends before it is complete. */
  public static final String TRUNCATED = "truncated";

  /** The bytes are not a gzip- or zstd-compressed tar archive, or are corrupt. */
  public static final String NOT_AN_ARCHIVE = "not-an-archive";

  /** A blob's content does not hash to the digest it is named by. */
  public static final String DIGEST_MISMATCH = "digest-mismatch";

  /** A descriptor's size differs from the size of the blob it points at. */
  public static final String SIZE_MISMATCH = "size-mismatch";

  /** A descriptor points at a blob the bundle does not hold. */
  public static final String MISSING_BLOB = "missing-blob";

  /** A descriptor or a manifest carries a media type where another is required. */
  public static final String WRONG_MEDIA_TYPE = "wrong-media-type";

  /** The OCI image layout itself is malformed: oci-layout, index.json, names, references. */
  public static final String INVALID_LAYOUT = "invalid-layout";

  /** A pack archive's content is not a pack Easel can keep. */
  public static final String INVALID_PACK = "invalid-pack";

  /** A pack artifact's reference does not name the pack it holds. */
  public static final String PACK_REF_MISMATCH = "pack-ref-mismatch";

  /** The most problems one refusal lists. */
  public static final int MAX_PROBLEMS = 100;

  private final String type;
  private final List<String> problems;

  public BundleRefused(String type, List<String> problems) {
    super(message(problems));
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("a refusal needs a problem type");
    }
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refusal needs at least one problem");
    }
    this.type = type;
    this.problems = bounded(problems);
  }

  public BundleRefused(String type, String problem) {
    this(type, List.of(problem));
  }

  public BundleRefused(String type, String problem, Throwable cause) {
    this(type, List.of(problem));
    initCause(cause);
  }

  /** The stable problem type, one of the constants of this class. */
  public String type() {
    return type;
  }

  /** Every problem found, in the order found; never empty. */
  public List<String> problems() {
    return problems;
  }

  /**
   * At most {@value #MAX_PROBLEMS} problems are kept, the last saying how many more there were: a
   * crafted archive can hold thousands of faults, and the answer that lists them must stay small.
   */
  private static List<String> bounded(List<String> problems) {
    if (problems.size() <= MAX_PROBLEMS) {
      return List.copyOf(problems);
    }
    List<String> kept = new ArrayList<>(problems.subList(0, MAX_PROBLEMS - 1));
    kept.add("... and " + (problems.size() - kept.size()) + " more problems");
    return List.copyOf(kept);
  }

  private static String message(List<String> problems) {
    if (problems.size() <= 1) {
      return problems.isEmpty() ? "" : problems.get(0);
    }
    return problems.get(0) + " (and " + (problems.size() - 1) + " more problems)";
  }
}
