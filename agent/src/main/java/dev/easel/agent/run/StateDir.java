package dev.easel.agent.run;

import dev.easel.agent.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Files the agent keeps between runs. Each is written to a private temporary file and moved into
 * place, so a crash leaves the old version or the new one, never half of one; every file is {@code
 * 0600} and the directory {@code 0700}, because the credential is a secret.
 */
public final class StateDir {

  private final Path dir;

  public StateDir(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; nothing more to do
    }
  }

  public Path path() {
    return dir;
  }

  public <T> Optional<T> read(String name, Class<T> type) {
    Path file = dir.resolve(name);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(Files.readString(file), type));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot read " + file + " (" + e.getMessage() + "); remove it to start afresh", e);
    }
  }

  public void write(String name, Object value) throws IOException {
    Path target = dir.resolve(name);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("another agent is writing " + tmp, e);
    }
    Files.writeString(tmp, Json.MAPPER.writeValueAsString(value));
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  public void delete(String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name));
  }
}
