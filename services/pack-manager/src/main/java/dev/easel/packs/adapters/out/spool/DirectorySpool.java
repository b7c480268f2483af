package dev.easel.packs.adapters.out.spool;

import dev.easel.packs.application.port.Spool;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upload spool directories under one root ({@code easel.packs.spool-dir}), each private to its
 * upload (mode 0700). What a stopped process left is removed at start.
 */
public final class DirectorySpool implements Spool {

  private static final Logger log = LoggerFactory.getLogger(DirectorySpool.class);

  private final Path root;

  public DirectorySpool(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the spool directory " + root, e);
    }
    clearLeftovers();
  }

  @Override
  public Path create(UUID uploadId) throws IOException {
    Path dir = root.resolve(uploadId.toString());
    try {
      return Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      return Files.createDirectory(dir);
    }
  }

  @Override
  public void delete(UUID uploadId) {
    deleteTree(root.resolve(uploadId.toString()));
  }

  @Override
  public long usableSpace() {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Directories of uploads; each removed at start, since no upload survives its process. */
  private void clearLeftovers() {
    try (Stream<Path> s = Files.list(root)) {
      s.forEach(
          p -> {
            log.info("removing {}, left by an earlier run", p);
            deleteTree(p);
          });
    } catch (IOException e) {
      log.warn("could not list the spool {}", root, e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      log.warn("could not remove {} entirely", dir, e);
    }
  }
}
