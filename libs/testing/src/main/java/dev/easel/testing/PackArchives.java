package dev.easel.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Pack directories as the {@code .tar.gz} archives pack-manager takes: the demo's, the tests'. */
public final class PackArchives {

  // A fixed time: the same directory gives the same archive, so a second upload pushes nothing.
  private static final Date FIXED_TIME = new Date(1_767_225_600_000L);

  private PackArchives() {}

  /** The directory under its own name, byte for byte the same each time. */
  public static byte[] tarGz(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      String top = dir.getFileName().toString();
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path f : files) {
        TarArchiveEntry e =
            new TarArchiveEntry(top + "/" + dir.relativize(f).toString().replace('\\', '/'));
        e.setSize(Files.size(f));
        e.setMode(0644);
        e.setModTime(FIXED_TIME);
        tar.putArchiveEntry(e);
        Files.copy(f, tar);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
