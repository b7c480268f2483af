package dev.easel.compliance.adapters.out.artifacts;

import dev.easel.compliance.application.port.ArtifactSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.stereotype.Component;

/**
 * Opens the files node-discovery stored, by their {@code file:} location in its content-addressed
 * store (docs/adr/0009), and checks each one's SHA-256 as it is read: a file changed on disk since
 * it was stored is refused when its end is reached, never read as if it were the tool's report.
 */
@Component
public class StoredArtifacts implements ArtifactSource {

  @Override
  public InputStream open(String location, String digest) throws IOException {
    if (location == null || !location.startsWith("file:")) {
      throw new IOException("unsupported artifact location " + location);
    }
    if (digest == null || !digest.startsWith("sha256:")) {
      throw new IOException("unsupported digest " + digest);
    }
    Path file = Path.of(URI.create(location));
    return new Verifying(Files.newInputStream(file), digest.substring("sha256:".length()));
  }

  /** Hashes what is read, and compares at the end. */
  private static final class Verifying extends FilterInputStream {
    private final MessageDigest sha;
    private final String expected;
    private boolean checked;

    Verifying(InputStream in, String expected) {
      super(in);
      this.expected = expected;
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        check();
      } else {
        sha.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n < 0) {
        check();
      } else {
        sha.update(buf, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must be hashed too.
      byte[] buf = new byte[8192];
      long left = n;
      while (left > 0) {
        int r = read(buf, 0, (int) Math.min(buf.length, left));
        if (r < 0) {
          break;
        }
        left -= r;
      }
      return n - left;
    }

    /** A reader that stopped before the end (a JSON document's last brace) still gets checked. */
    @Override
    public void close() throws IOException {
      try {
        if (!checked) {
          byte[] buf = new byte[65536];
          while (read(buf, 0, buf.length) >= 0) {
            // hashing the rest
          }
        }
      } finally {
        super.close();
      }
    }

    @Override
    public boolean markSupported() {
      return false;
    }

    private void check() throws IOException {
      if (checked) {
        return;
      }
      checked = true;
      String got = HexFormat.of().formatHex(sha.digest());
      if (!got.equals(expected)) {
        throw new IOException("its content does not match its digest sha256:" + expected);
      }
    }
  }
}
