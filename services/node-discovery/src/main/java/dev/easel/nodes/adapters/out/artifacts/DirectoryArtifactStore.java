package dev.easel.nodes.adapters.out.artifacts;

import dev.easel.nodes.application.port.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A content-addressed store in a directory ({@code easel.nodes.artifacts.dir}), meant to be a
 * volume shared with the services that read artifacts (ADR 0009). Content lives at {@code
 * sha256/<first two hex digits>/<hex>}, and its location is the {@code file:} URI of that path.
 *
 * <p>An upload is written to a temporary file under {@code tmp/} of the same directory, so the
 * final move is a rename on one file system; its digest is computed as it is written, it is synced
 * to disk, and only when it matches the digest it was sent with is it moved into place, atomically.
 * A reader therefore sees whole, checked content under a digest or nothing. Content already there
 * is kept and the new copy dropped: the same digest is the same bytes.
 */
@Component
class DirectoryArtifactStore implements ArtifactStore {

  private static final Logger log = LoggerFactory.getLogger(DirectoryArtifactStore.class);

  /**
   * Temporary files older than this were left by a stopped process. Generous, since several
   * instances may share the directory and one may still be receiving a slow upload.
   */
  static final Duration ABANDONED_AFTER = Duration.ofHours(24);

  private static final int BUFFER = 64 * 1024;

  private final Path root;
  private final Path tmp;

  /**
   * @param dir the store's directory, made at the first upload; relative to the working directory
   *     when relative
   */
  DirectoryArtifactStore(
      @Value("${easel.nodes.artifacts.dir:./data/artifacts}") String dir, Clock clock)
      throws IOException {
    this.root = Path.of(dir).toAbsolutePath().normalize();
    this.tmp = root.resolve("tmp");
    if (Files.isDirectory(tmp)) {
      removeAbandoned(clock);
    } else {
      // Made at the first upload, so an instance that never takes one leaves nothing behind; a
      // place it could never be made is refused now, not at that upload.
      Path existing = root;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
        throw new IOException(
            "easel.nodes.artifacts.dir: "
                + root
                + " cannot be made; "
                + existing
                + " is not a writable directory");
      }
    }
    log.info("plan step artifacts are stored in {}", root);
  }

  @Override
  public Put put(InputStream content, String expectedDigest) throws IOException {
    Files.createDirectories(tmp);
    Path part = Files.createTempFile(tmp, "upload-", ".part");
    try {
      MessageDigest sha = sha256();
      long size = 0;
      byte[] buf = new byte[BUFFER];
      try (FileChannel out = FileChannel.open(part, StandardOpenOption.WRITE)) {
        int n;
        while ((n = content.read(buf)) > 0) {
          sha.update(buf, 0, n);
          ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
          while (b.hasRemaining()) {
            out.write(b);
          }
          size += n;
        }
        out.force(true);
      }
      String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(expectedDigest)) {
        return new Mismatch(actual, size);
      }
      Path blob = pathOf(actual);
      if (!Files.exists(blob)) {
        Files.createDirectories(blob.getParent());
        // Readable by the other services on the volume, which may run as other users.
        Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("rw-r--r--"));
        move(part, blob);
        syncDirectory(blob.getParent());
      }
      return new Stored(new Blob(actual, size, blob.toUri().toString()));
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Where content with this digest is kept. */
  Path pathOf(String digest) {
    String hex = digest.substring("sha256:".length());
    return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      // A rename: another instance moving the same content at the same moment is harmless, as
      // both files hold the same bytes.
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the artifact directory cannot rename atomically; it must be one local or shared file"
              + " system",
          e);
    }
  }

  /** Makes the new name durable: the rename is an entry in the directory, synced with it. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (FileSystemException e) {
      // Some file systems (and platforms) cannot open a directory for sync; the content itself
      // was synced before the rename.
      log.debug("cannot sync directory {}: {}", dir, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void removeAbandoned(Clock clock) throws IOException {
    FileTime before = FileTime.from(clock.instant().minus(ABANDONED_AFTER));
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(tmp, "*.part")) {
      for (Path p : parts) {
        if (Files.getLastModifiedTime(p).compareTo(before) < 0) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
