package dev.easel.compliance.adapters.out.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds gzip-compressed tarballs for tests, entries in the order they are added. */
final class TestTarballs {

  private record Entry(String name, byte[] content, byte linkFlag, String linkName) {}

  private final List<Entry> entries = new ArrayList<>();

  TestTarballs file(String name, byte[] content) {
    entries.add(new Entry(name, content, TarConstants.LF_NORMAL, null));
    return this;
  }

  TestTarballs file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  TestTarballs symlink(String name, String target) {
    entries.add(new Entry(name, new byte[0], TarConstants.LF_SYMLINK, target));
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry e : entries) {
        TarArchiveEntry entry = new TarArchiveEntry(e.name(), e.linkFlag(), true);
        if (e.linkName() != null) {
          entry.setLinkName(e.linkName());
        } else {
          entry.setSize(e.content().length);
        }
        tar.putArchiveEntry(entry);
        tar.write(e.content());
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
