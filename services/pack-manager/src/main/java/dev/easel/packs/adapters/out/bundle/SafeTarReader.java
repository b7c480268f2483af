package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.BundleRefused.DECOMPRESSION_BOMB;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.NOT_AN_ARCHIVE;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.SPECIAL_FILE;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.TOO_LARGE;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.TOO_MANY_ENTRIES;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.TRUNCATED;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.UNSAFE_LINK;
import static dev.easel.packs.adapters.out.bundle.BundleRefused.UNSAFE_PATH;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Reads a gzip- or zstd-compressed tar stream one entry at a time, and refuses anything that could
 * hurt a reader trusting entry names, types or sizes before the caller sees it.
 *
 * <p>Streams are layered so each guard sees what it must:
 *
 * <pre>
 *   upload -&gt; count compressed bytes -&gt; gzip or zstd
 *          -&gt; count decompressed bytes -&gt; tar -&gt; entries
 * </pre>
 *
 * <p>It refuses, with the {@link BundleRefused} type in parentheses:
 *
 * <ul>
 *   <li>names that are empty, absolute, climb with {@code ..}, hold a {@code .} or empty segment
 *       (other than a leading {@code ./}), a backslash, NUL or another control character, or are
 *       longer than {@value #MAX_NAME_BYTES} bytes in UTF-8; a name used twice, or a name under a
 *       file ({@code unsafe-path});
 *   <li>symbolic and hard links when the caller allows none; otherwise a symbolic link whose
 *       target, resolved from the link's directory, leaves the archive root, and a hard link that
 *       does not name an earlier regular file of the archive ({@code unsafe-link});
 *   <li>character and block devices, FIFOs, sparse files and any entry type other than file,
 *       directory and link ({@code special-file});
 *   <li>more than {@link ArchiveLimits#maxEntries()} entries ({@code too-many-entries});
 *   <li>a file over {@link ArchiveLimits#maxEntryBytes()}, files summing over {@link
 *       ArchiveLimits#maxTotalBytes()}, or an extended header (PAX, GNU long name) over {@value
 *       #MAX_EXTENDED_HEADER_BYTES} bytes, since the tar library holds those in memory ({@code
 *       too-large});
 *   <li>more decompressed bytes than {@link ArchiveLimits#maxRatio()} times the compressed bytes
 *       read so far, once more than {@link ArchiveLimits#RATIO_GRACE_BYTES} came out ({@code
 *       decompression-bomb});
 *   <li>a gzip, zstd or tar stream that ends early, including a tar without its end-of-archive
 *       marker ({@code truncated});
 *   <li>input that is not the expected compression, a corrupt stream, a tar header with a bad
 *       checksum or fields, or more than {@value #MAX_STALL_BYTES} compressed bytes read without
 *       output, which would otherwise let a gzip header hold an unbounded file name in memory
 *       ({@code not-an-archive}).
 * </ul>
 *
 * <p>PAX headers and GNU long names are read (by commons-compress) and applied to the entry they
 * precede. Paths are returned normalised: without a leading {@code ./} and without a trailing
 * slash; the archive's root directory entry ({@code ./}) is counted but not returned. After the
 * last entry the rest of the decompressed stream is read and discarded, so the gzip CRC or the end
 * of the zstd frame is verified and trailing data still counts toward the limits.
 *
 * <p>Failures of the upload stream itself are thrown as the {@link IOException} it threw; every
 * fault of the archive is a {@link BundleRefused}. After either, the reader is unusable. The
 * caller's stream is not closed by {@link #close()}. Not thread-safe.
 */
public final class SafeTarReader implements Closeable {

  /** How the tar stream is compressed. */
  public enum Compression {
    GZIP(new byte[] {0x1f, (byte) 0x8b}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    private final byte[] magic;

    Compression(byte[] magic) {
      this.magic = magic;
    }

    boolean matches(byte[] head) {
      if (head.length < magic.length) {
        return false;
      }
      for (int i = 0; i < magic.length; i++) {
        if (head[i] != magic[i]) {
          return false;
        }
      }
      return true;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether links may appear at all. */
  public enum Links {
    /** Every symbolic or hard link is refused. */
    REFUSE,
    /** Links are allowed when they stay inside the archive root. */
    INSIDE_ROOT
  }

  /** What an entry is. */
  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK
  }

  /**
   * One entry, already checked.
   *
   * @param path normalised relative path, segments joined by {@code /}, never empty
   * @param size the file's size; 0 for directories and links
   * @param linkTarget a symbolic link's target as written, or a hard link's normalised target; null
   *     for files and directories
   */
  public record Entry(String path, Kind kind, long size, String linkTarget) {

    /** The number of path segments: 1 for {@code pack.json}, 2 for {@code top/pack.json}. */
    public int depth() {
      int d = 1;
      for (int i = 0; i < path.length(); i++) {
        if (path.charAt(i) == '/') {
          d++;
        }
      }
      return d;
    }

    /** The last path segment. */
    public String fileName() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  /** Longest entry name accepted, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 255;

  /** Longest link target accepted, in UTF-8 bytes. */
  public static final int MAX_LINK_TARGET_BYTES = 1024;

  /** Largest PAX header or GNU long name entry, which the tar library reads into memory. */
  public static final int MAX_EXTENDED_HEADER_BYTES = 64 * 1024;

  /** Compressed bytes that may be read without any decompressed output. */
  public static final long MAX_STALL_BYTES = 4L << 20;

  /** Extended headers that may precede one entry (PAX, global PAX, GNU long name, long link). */
  private static final int MAX_HEADER_CHAIN = 8;

  /** Tar stream bytes allowed per entry beyond file content: header, padding, a PAX header. */
  private static final long TAR_OVERHEAD_PER_ENTRY = 4096;

  private final ArchiveLimits limits;
  private final Links links;
  private final Meter meter;
  private final DecompressedSide decompressed;
  private final StrictTar tar;
  private final Set<String> files = new HashSet<>();
  private final Set<String> directories = new HashSet<>();
  private final Set<String> nonDirectories = new HashSet<>();
  private final Set<String> parents = new HashSet<>();
  private final byte[] scratch = new byte[64 * 1024];

  private Entry current;
  private long remaining;
  private int generation;
  private int entries;
  private long fileBytes;
  private boolean done;
  private boolean broken;

  private SafeTarReader(
      ArchiveLimits limits, Links links, Meter meter, DecompressedSide decompressed) {
    this.limits = limits;
    this.links = links;
    this.meter = meter;
    this.decompressed = decompressed;
    this.tar = new StrictTar(decompressed);
  }

  /**
   * Starts reading. Checks the compression's magic bytes and, for gzip, the member header.
   *
   * @param compressed the upload; read, never closed
   */
  public static SafeTarReader open(
      InputStream compressed, Compression compression, ArchiveLimits limits, Links links)
      throws IOException {
    Meter meter = new Meter(limits);
    BufferedInputStream buffered =
        new BufferedInputStream(new CompressedSide(compressed, meter), 64 * 1024);
    InputStream decompressor = null;
    try {
      buffered.mark(8);
      byte[] head = buffered.readNBytes(4);
      buffered.reset();
      if (head.length == 0) {
        throw new BundleRefused(NOT_AN_ARCHIVE, "the archive is empty");
      }
      if (!compression.matches(head)) {
        throw new BundleRefused(
            NOT_AN_ARCHIVE, "the archive is not " + compression.label() + "-compressed");
      }
      decompressor =
          compression == Compression.GZIP
              ? GzipCompressorInputStream.builder()
                  .setInputStream(buffered)
                  .setDecompressConcatenated(true)
                  .get()
              : new ZstdCompressorInputStream(buffered);
      return new SafeTarReader(
          limits, links, meter, new DecompressedSide(decompressor, meter, compression));
    } catch (SourceFailure e) {
      closeQuietly(decompressor);
      throw e.source();
    } catch (IOException e) {
      closeQuietly(decompressor);
      throw DecompressedSide.refusal(e, compression);
    } catch (RuntimeException | Error e) {
      closeQuietly(decompressor);
      throw e;
    }
  }

  /**
   * The next entry, or null after the last one. Any unread content of the previous file is read and
   * discarded first, counted like the rest.
   */
  public Entry next() throws IOException {
    if (broken) {
      throw new IllegalStateException("the archive was refused or failed; it cannot be read on");
    }
    if (done) {
      return null;
    }
    try {
      discardRest();
      current = null;
      generation++;
      while (true) {
        TarArchiveEntry raw = tar.getNextEntry();
        if (raw == null) {
          finish();
          return null;
        }
        entries++;
        if (entries > limits.maxEntries()) {
          throw new BundleRefused(
              TOO_MANY_ENTRIES, "the archive holds more than " + limits.maxEntries() + " entries");
        }
        Entry entry = check(raw);
        if (entry != null) {
          current = entry;
          remaining = entry.kind() == Kind.FILE ? entry.size() : 0;
          return entry;
        }
      }
    } catch (SourceFailure e) {
      broken = true;
      throw e.source();
    } catch (IOException e) {
      broken = true;
      throw tarRefusal(e);
    } catch (BundleRefused e) {
      broken = true;
      throw e;
    } catch (RuntimeException e) {
      broken = true;
      throw new BundleRefused(NOT_AN_ARCHIVE, "the tar stream is malformed: " + e, e);
    }
  }

  /**
   * The content of the current entry, which must be a file. The stream ends at the entry's end and
   * is invalid once {@link #next()} is called; closing it does nothing.
   */
  public InputStream content() {
    if (current == null || current.kind() != Kind.FILE) {
      throw new IllegalStateException("the current entry is not a file");
    }
    return new EntryStream(generation);
  }

  /** Reads the current file into memory, refusing it as too large when over {@code cap}. */
  public byte[] readSmall(long cap, String what) throws IOException {
    if (current == null || current.kind() != Kind.FILE) {
      throw new IllegalStateException("the current entry is not a file");
    }
    if (current.size() > cap) {
      broken = true;
      throw new BundleRefused(
          TOO_LARGE,
          what + " is " + current.size() + " bytes, more than the " + cap + " bytes allowed");
    }
    try (InputStream in = content()) {
      return in.readAllBytes();
    }
  }

  /** Entries read so far, including directories and the root entry. */
  public int entryCount() {
    return entries;
  }

  /** The sum of the declared sizes of the files read so far. */
  public long fileBytes() {
    return fileBytes;
  }

  public long compressedBytes() {
    return meter.compressed;
  }

  public long decompressedBytes() {
    return meter.decompressed;
  }

  /** Releases the decompressor (zstd holds native memory); the upload stream stays open. */
  @Override
  public void close() throws IOException {
    tar.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Entry checks

  private Entry check(TarArchiveEntry raw) {
    String name = raw.getName();
    if (!raw.isCheckSumOK()) {
      throw new BundleRefused(NOT_AN_ARCHIVE, "the tar header of " + quote(name) + " is corrupt");
    }
    Kind kind = kindOf(raw);
    String path = normalise(name);
    if (path.isEmpty()) {
      if (kind != Kind.DIRECTORY) {
        throw new BundleRefused(UNSAFE_PATH, "entry " + quote(name) + " has no name");
      }
      return null;
    }
    long size = raw.getSize();
    if (size < 0) {
      throw new BundleRefused(NOT_AN_ARCHIVE, "entry " + quote(name) + " has a negative size");
    }
    if (kind != Kind.FILE && size != 0) {
      throw new BundleRefused(
          NOT_AN_ARCHIVE, "entry " + quote(name) + " is not a file but carries " + size + " bytes");
    }
    String target = null;
    if (kind == Kind.SYMLINK || kind == Kind.HARDLINK) {
      target = checkLink(path, kind, raw.getLinkName());
    }
    claim(path, kind);
    if (kind == Kind.FILE) {
      if (size > limits.maxEntryBytes()) {
        throw new BundleRefused(
            TOO_LARGE,
            "entry "
                + quote(path)
                + " is "
                + size
                + " bytes, more than the "
                + limits.maxEntryBytes()
                + " bytes allowed for one file");
      }
      fileBytes += size;
      if (fileBytes > limits.maxTotalBytes()) {
        throw new BundleRefused(
            TOO_LARGE,
            "the archive's files add up to more than the "
                + limits.maxTotalBytes()
                + " bytes allowed");
      }
    }
    return new Entry(path, kind, size, target);
  }

  private static Kind kindOf(TarArchiveEntry raw) {
    String name = raw.getName();
    if (raw.isSparse()) {
      throw new BundleRefused(SPECIAL_FILE, "entry " + quote(name) + " is a sparse file");
    }
    byte flag = raw.getLinkFlag();
    switch (flag) {
      case TarConstants.LF_NORMAL:
      case TarConstants.LF_OLDNORM:
      case TarConstants.LF_CONTIG:
        return name.endsWith("/") ? Kind.DIRECTORY : Kind.FILE;
      case TarConstants.LF_DIR:
        return Kind.DIRECTORY;
      case TarConstants.LF_SYMLINK:
        return Kind.SYMLINK;
      case TarConstants.LF_LINK:
        return Kind.HARDLINK;
      case TarConstants.LF_CHR:
        throw new BundleRefused(SPECIAL_FILE, "entry " + quote(name) + " is a character device");
      case TarConstants.LF_BLK:
        throw new BundleRefused(SPECIAL_FILE, "entry " + quote(name) + " is a block device");
      case TarConstants.LF_FIFO:
        throw new BundleRefused(SPECIAL_FILE, "entry " + quote(name) + " is a FIFO");
      default:
        throw new BundleRefused(
            SPECIAL_FILE,
            "entry "
                + quote(name)
                + " has tar type "
                + quote(String.valueOf((char) flag))
                + ", which is not a file, directory or link");
    }
  }

  /**
   * The entry name without a leading {@code ./} or a trailing slash; empty for the root itself.
   * Refuses every name that is not a plain relative path.
   */
  static String normalise(String name) {
    if (name == null || name.isEmpty()) {
      throw new BundleRefused(UNSAFE_PATH, "an entry has an empty name");
    }
    checkCharacters(name, "entry", UNSAFE_PATH);
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new BundleRefused(
          UNSAFE_PATH,
          "entry " + quote(name) + " has a name longer than " + MAX_NAME_BYTES + " bytes");
    }
    if (name.startsWith("/")) {
      throw new BundleRefused(UNSAFE_PATH, "entry " + quote(name) + " has an absolute path");
    }
    String path = name;
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    if (path.equals(".")) {
      return "";
    }
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return "";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        throw new BundleRefused(UNSAFE_PATH, "entry " + quote(name) + " climbs out with '..'");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        throw new BundleRefused(
            UNSAFE_PATH, "entry " + quote(name) + " has an empty or '.' path segment");
      }
    }
    return path;
  }

  private String checkLink(String path, Kind kind, String target) {
    if (links == Links.REFUSE) {
      throw new BundleRefused(
          UNSAFE_LINK,
          "entry "
              + quote(path)
              + " is a "
              + (kind == Kind.SYMLINK ? "symbolic" : "hard")
              + " link to "
              + quote(String.valueOf(target))
              + "; links are not allowed here");
    }
    if (target == null || target.isEmpty()) {
      throw new BundleRefused(UNSAFE_LINK, "link " + quote(path) + " has no target");
    }
    checkCharacters(target, "link " + quote(path) + " target", UNSAFE_LINK);
    if (target.getBytes(StandardCharsets.UTF_8).length > MAX_LINK_TARGET_BYTES) {
      throw new BundleRefused(UNSAFE_LINK, "link " + quote(path) + " has an over-long target");
    }
    if (target.startsWith("/")) {
      throw new BundleRefused(
          UNSAFE_LINK, "link " + quote(path) + " points at the absolute path " + quote(target));
    }
    if (kind == Kind.HARDLINK) {
      String resolved;
      try {
        resolved = normalise(target);
      } catch (BundleRefused e) {
        throw new BundleRefused(
            UNSAFE_LINK,
            "hard link " + quote(path) + " points outside the archive: " + quote(target));
      }
      if (!files.contains(resolved)) {
        throw new BundleRefused(
            UNSAFE_LINK,
            "hard link "
                + quote(path)
                + " points at "
                + quote(target)
                + ", which is not an earlier file of the archive");
      }
      return resolved;
    }
    Deque<String> at = new ArrayDeque<>();
    String[] own = path.split("/");
    for (int i = 0; i < own.length - 1; i++) {
      at.addLast(own[i]);
    }
    for (String segment : target.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (at.isEmpty()) {
          throw new BundleRefused(
              UNSAFE_LINK,
              "symbolic link " + quote(path) + " points outside the archive: " + quote(target));
        }
        at.removeLast();
      } else {
        at.addLast(segment);
      }
    }
    return target;
  }

  /** Records the path, refusing duplicates and paths below something that is not a directory. */
  private void claim(String path, Kind kind) {
    if (files.contains(path)
        || directories.contains(path)
        || nonDirectories.contains(path)
        || (kind != Kind.DIRECTORY && parents.contains(path))) {
      throw new BundleRefused(UNSAFE_PATH, "entry " + quote(path) + " appears more than once");
    }
    for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      String parent = path.substring(0, i);
      if (nonDirectories.contains(parent)) {
        throw new BundleRefused(
            UNSAFE_PATH,
            "entry " + quote(path) + " lies under " + quote(parent) + ", which is not a directory");
      }
      parents.add(parent);
    }
    if (kind == Kind.DIRECTORY) {
      directories.add(path);
    } else {
      nonDirectories.add(path);
      if (kind == Kind.FILE) {
        files.add(path);
      }
    }
  }

  private static void checkCharacters(String text, String what, String type) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw new BundleRefused(type, what + " " + quote(text) + " holds a NUL character");
      }
      if (c == '\\') {
        throw new BundleRefused(type, what + " " + quote(text) + " holds a backslash");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new BundleRefused(type, what + " " + quote(text) + " holds a control character");
      }
    }
  }

  /** Quotes text for a message: control characters escaped, long text cut. */
  static String quote(String text) {
    StringBuilder b = new StringBuilder("'");
    int end = Math.min(text.length(), 200);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (text.length() > end) {
      b.append("...");
    }
    return b.append('\'').toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  private void discardRest() throws IOException {
    while (remaining > 0) {
      int n = readTar(scratch, 0, (int) Math.min(scratch.length, remaining));
      remaining -= n;
    }
  }

  /** Reads file content from the tar; never returns -1 while content remains. */
  private int readTar(byte[] b, int off, int len) throws IOException {
    int n = tar.read(b, off, len);
    if (n < 0) {
      throw new BundleRefused(TRUNCATED, "the tar stream ends inside " + quote(current.path()));
    }
    return n;
  }

  private void finish() throws IOException {
    done = true;
    if (!tar.sawEndMarker) {
      if (entries == 0) {
        throw new BundleRefused(NOT_AN_ARCHIVE, "the decompressed data is not a tar archive");
      }
      throw new BundleRefused(TRUNCATED, "the tar stream ends without its end-of-archive marker");
    }
    // Reading to the end verifies the gzip CRC or the zstd frame end and counts trailing data.
    while (decompressed.read(scratch, 0, scratch.length) >= 0) {
      // discarded
    }
  }

  private static BundleRefused tarRefusal(IOException e) {
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof EOFException || detail.toLowerCase(Locale.ROOT).contains("truncated")) {
      return new BundleRefused(TRUNCATED, "the tar stream ends early: " + detail, e);
    }
    return new BundleRefused(NOT_AN_ARCHIVE, "the tar stream is malformed: " + detail, e);
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException | RuntimeException ignored) {
        // already failing; the first failure is the one to report
      }
    }
  }

  /** One file's content, valid until the reader moves on. */
  private final class EntryStream extends InputStream {

    private final int ofGeneration;

    EntryStream(int ofGeneration) {
      this.ofGeneration = ofGeneration;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ofGeneration != generation || broken) {
        throw new IllegalStateException("the reader has moved past this entry");
      }
      if (len == 0) {
        return 0;
      }
      if (remaining == 0) {
        return -1;
      }
      try {
        int n = readTar(b, off, (int) Math.min(len, remaining));
        remaining -= n;
        return n;
      } catch (SourceFailure e) {
        broken = true;
        throw e.source();
      } catch (IOException e) {
        broken = true;
        throw tarRefusal(e);
      } catch (BundleRefused e) {
        broken = true;
        throw e;
      } catch (RuntimeException e) {
        broken = true;
        throw new BundleRefused(NOT_AN_ARCHIVE, "the tar stream is malformed: " + e, e);
      }
    }

    @Override
    public void close() {
      // the reader owns the stream
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stream layers

  /** Counters shared by the two sides of the decompressor. */
  private static final class Meter {

    private final ArchiveLimits limits;
    private final long streamCap;
    private long compressed;
    private long decompressed;
    private long compressedAtLastOutput;

    Meter(ArchiveLimits limits) {
      this.limits = limits;
      long overhead = (limits.maxEntries() + 16L) * TAR_OVERHEAD_PER_ENTRY;
      this.streamCap =
          limits.maxTotalBytes() > Long.MAX_VALUE - overhead
              ? Long.MAX_VALUE
              : limits.maxTotalBytes() + overhead;
    }

    void compressed(int n) {
      compressed += n;
      if (compressed - compressedAtLastOutput > MAX_STALL_BYTES) {
        throw new BundleRefused(
            NOT_AN_ARCHIVE,
            "more than " + MAX_STALL_BYTES + " compressed bytes were read without any output");
      }
    }

    void decompressed(int n) {
      decompressed += n;
      compressedAtLastOutput = compressed;
      if (decompressed > streamCap) {
        throw new BundleRefused(
            TOO_LARGE,
            "the archive decompresses to more than the "
                + limits.maxTotalBytes()
                + " bytes allowed");
      }
      if (decompressed > ArchiveLimits.RATIO_GRACE_BYTES
          && decompressed > limits.maxRatio() * compressed) {
        throw new BundleRefused(
            DECOMPRESSION_BOMB,
            "the archive expands more than "
                + (long) limits.maxRatio()
                + " times: "
                + compressed
                + " compressed bytes gave "
                + decompressed);
      }
    }
  }

  /** A failure of the upload stream, carried through the decompressor and the tar reader. */
  private static final class SourceFailure extends IOException {

    private static final long serialVersionUID = 1L;

    private final IOException source;

    SourceFailure(IOException source) {
      super(source.getMessage(), source);
      this.source = source;
    }

    IOException source() {
      return source;
    }
  }

  /** Counts compressed bytes; never closes the upload. */
  private static final class CompressedSide extends InputStream {

    private final InputStream in;
    private final Meter meter;

    CompressedSide(InputStream in, Meter meter) {
      this.in = in;
      this.meter = meter;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
      if (n > 0) {
        meter.compressed(n);
      }
      return n;
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public void close() {
      // the caller owns the upload stream
    }
  }

  /** Counts decompressed bytes and turns decompressor failures into refusals. */
  private static final class DecompressedSide extends InputStream {

    private final InputStream in;
    private final Meter meter;
    private final Compression compression;

    DecompressedSide(InputStream in, Meter meter, Compression compression) {
      this.in = in;
      this.meter = meter;
      this.compression = compression;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = in.read(b, off, len);
      } catch (SourceFailure e) {
        throw e;
      } catch (IOException e) {
        throw refusal(e, compression);
      } catch (BundleRefused e) {
        throw e;
      } catch (RuntimeException e) {
        throw new BundleRefused(
            NOT_AN_ARCHIVE, "the " + compression.label() + " stream is corrupt: " + e, e);
      }
      if (n > 0) {
        meter.decompressed(n);
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    static BundleRefused refusal(IOException e, Compression compression) {
      String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (e instanceof EOFException || detail.toLowerCase(Locale.ROOT).contains("truncated")) {
        return new BundleRefused(
            TRUNCATED, "the " + compression.label() + " stream ends early: " + detail, e);
      }
      return new BundleRefused(
          NOT_AN_ARCHIVE, "the " + compression.label() + " stream is corrupt: " + detail, e);
    }
  }

  /**
   * The tar reader, with three additions: extended headers are capped before the library reads them
   * into memory, chains of them are bounded (the library follows them recursively), and the
   * end-of-archive marker is noticed, since the library treats a short read as a normal end.
   */
  private static final class StrictTar extends TarArchiveInputStream {

    private int depth;
    private boolean sawEndMarker;

    StrictTar(InputStream in) {
      super(in, StandardCharsets.UTF_8.name());
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
      if (++depth > MAX_HEADER_CHAIN) {
        depth--;
        throw new BundleRefused(
            NOT_AN_ARCHIVE,
            "more than " + MAX_HEADER_CHAIN + " extended headers precede one tar entry");
      }
      try {
        return super.getNextEntry();
      } finally {
        depth--;
      }
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
      TarArchiveEntry entry = getCurrentEntry();
      if (entry != null && isExtendedHeader(entry) && entry.getSize() > MAX_EXTENDED_HEADER_BYTES) {
        throw new BundleRefused(
            TOO_LARGE,
            "an extended tar header of "
                + entry.getSize()
                + " bytes is larger than the "
                + MAX_EXTENDED_HEADER_BYTES
                + " bytes allowed");
      }
      return super.read(buf, offset, length);
    }

    @Override
    protected boolean isEOFRecord(byte[] record) {
      boolean eof = super.isEOFRecord(record);
      if (eof && record != null) {
        sawEndMarker = true;
      }
      return eof;
    }

    private static boolean isExtendedHeader(TarArchiveEntry e) {
      return e.isPaxHeader()
          || e.isGlobalPaxHeader()
          || e.isGNULongNameEntry()
          || e.isGNULongLinkEntry();
    }
  }
}
