package dev.easel.packs.adapters.out.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Builds archives for tests, malicious ones included, with commons-compress writers. */
final class TestArchives {

  private TestArchives() {}

  /** The refusal the call ends with; fails the test when it ends otherwise. */
  static BundleRefused refusal(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(BundleRefused.class);
    return (BundleRefused) thrown;
  }

  /** A tar written entry by entry, names kept exactly as given (absolute ones too). */
  static final class TarBuilder {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
      this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TarBuilder(int longFileMode) {
      tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());
      tar.setLongFileMode(longFileMode);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder file(String name, byte[] content) {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(content.length);
      return put(e, content);
    }

    TarBuilder dir(String name) {
      return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), null);
    }

    TarBuilder symlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
      e.setLinkName(target);
      return put(e, null);
    }

    TarBuilder hardlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
      e.setLinkName(target);
      return put(e, null);
    }

    TarBuilder special(String name, byte linkFlag) {
      return put(new TarArchiveEntry(name, linkFlag, true), null);
    }

    /** An entry of any type with content, written as is (a hand-made PAX header, say). */
    TarBuilder raw(String name, byte linkFlag, byte[] content) {
      TarArchiveEntry e = new TarArchiveEntry(name, linkFlag, true);
      e.setSize(content.length);
      return put(e, content);
    }

    private TarBuilder put(TarArchiveEntry e, byte[] content) {
      try {
        tar.putArchiveEntry(e);
        if (content != null) {
          tar.write(content);
        }
        tar.closeArchiveEntry();
        return this;
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }

    byte[] tar() {
      try {
        tar.finish();
        tar.close();
        return bytes.toByteArray();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }

    byte[] gzip() {
      return TestArchives.gzip(tar());
    }

    byte[] zstd() {
      return TestArchives.zstd(tar());
    }
  }

  static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] zstd(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZstdCompressorOutputStream z = new ZstdCompressorOutputStream(out)) {
        z.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A tar holding one file of {@code size} zeros, compressed, built without ever holding the zeros:
   * after the tar header every byte of the stream (data, padding, end-of-archive records) is zero,
   * so the compressed form is the header's chunk followed by one precomputed chunk of zeros
   * repeated. Gzip members and zstd frames may be concatenated, and readers decode them as one
   * stream.
   */
  static byte[] zerosBomb(String name, long size, boolean zstd) {
    int chunk = 1 << 20;
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(size);
    byte[] header = new byte[512];
    e.writeEntryHeader(header);
    long tarBytes = 512 + ((size + 511) / 512) * 512 + 1024;
    byte[] first = new byte[chunk];
    System.arraycopy(header, 0, first, 0, header.length);
    byte[] zeroChunk = compressedChunk(new byte[chunk], zstd);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(compressedChunk(first, zstd));
    long left = tarBytes - chunk;
    while (left >= chunk) {
      out.writeBytes(zeroChunk);
      left -= chunk;
    }
    if (left > 0) {
      out.writeBytes(compressedChunk(new byte[(int) left], zstd));
    }
    return out.toByteArray();
  }

  private static byte[] compressedChunk(byte[] data, boolean zstd) {
    return zstd ? Zstd.compress(data, 3) : gzip(data);
  }

  /** Counts what the reader under test consumed of an upload. */
  static final class CountingStream extends FilterInputStream {

    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count += s;
      return s;
    }

    long count() {
      return count;
    }
  }
}
